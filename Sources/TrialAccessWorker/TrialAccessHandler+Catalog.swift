import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import TrialAccess
import TransitTime

extension TrialAccessHandler {
    /// Applies a `trial.catalog.v1` record: stores the live entry, copies the trial's site
    /// capacities into the slot counters, and promotes waiting patients into slots that are free
    /// now (a raised capacity, a reopened site or trial). A definition older than the one held is
    /// ignored; an invalid one is dead-lettered and the old one stays.
    func apply(_ record: CatalogRecord, transaction: any StoreTransaction, context: inout HandlerContext) throws {
        var catalog = try catalogs.current(in: transaction)
        guard let wire = record.definition else {
            let removed = catalog.remove(trialID: record.trialID)
            try catalogs.store(nil, trialID: record.trialID, in: transaction)
            for site in removed?.sites ?? [] {
                try transaction.setCapacity(
                    counter: StateKeys.slotCounter(trialID: record.trialID, siteID: site.siteID), capacity: 0)
            }
            logger.info("trial removed from the catalogue", metadata: ["trial_id": "\(record.trialID)"])
            applied(record.trialID, updatedAt: 0, change: "REMOVED", promoted: 0, context: &context)
            return
        }
        let definition: TrialAccess.TrialDefinition
        do throws(WireMappingError) {
            definition = try wire.domain()
        } catch {
            throw HandlerFailure.invalid(error.description)
        }
        let change: CatalogChange
        do throws(CatalogError) {
            change = try catalog.upsert(definition)
        } catch {
            throw HandlerFailure.invalid(error.description)
        }
        guard change != .ignoredStale else {
            logger.info("stale catalogue entry ignored", metadata: ["trial_id": "\(definition.trialID)"])
            if let source = context.source {
                let stale = HandlerFailure(
                    code: "STALE_DEFINITION", reason: "a definition with a later updated_at is live", fieldPath: "updated_at")
                emitFeedback(SenderFeedback.rejected(
                    source, inputEventID: nil, failure: stale, source: context.actor, topics: topics, now: context.now),
                    context: &context)
            }
            return
        }
        try catalogs.store(wire, trialID: definition.trialID, in: transaction)
        for site in definition.sites {
            try transaction.setCapacity(
                counter: StateKeys.slotCounter(trialID: definition.trialID, siteID: site.siteID),
                capacity: site.screeningCapacity)
        }
        let session = TrialAccessSession(
            transaction: transaction, catalog: catalog, config: config, now: context.now, timerOwner: name,
            locking: aggregateLocks)
        var promoted = 0
        for site in definition.sites where definition.acceptsPatients(atSite: site.siteID) {
            let outcome = try session.fill(
                SlotKey(trialID: definition.trialID, siteID: site.siteID),
                causeEventID: "catalog/\(definition.trialID)/\(definition.updatedAt)")
            try session.save(outcome)
            emit(outcome, context: &context)
            promoted += outcome.offers.count
        }
        applied(
            definition.trialID, updatedAt: definition.updatedAt, change: change == .inserted ? "ADDED" : "UPDATED",
            promoted: promoted, context: &context)
        logger.info(
            "catalogue entry applied",
            metadata: ["trial_id": "\(definition.trialID)", "change": "\(change)", "promoted": "\(promoted)"])
    }

    /// Tells the catalogue's publisher that the record is live (`TrialCatalogApplied` on the
    /// enrollment feedback topic).
    private func applied(_ trialID: String, updatedAt: Int64, change: String, promoted: Int, context: inout HandlerContext) {
        guard let source = context.source else { return }
        var body = TrialCatalogApplied()
        body.trialId = trialID
        body.updatedAt = updatedAt
        body.change = change
        body.promoted = UInt32(clamping: promoted)
        emitFeedback(
            SenderFeedback.message(
                for: source, .trialCatalogApplied(body), source: context.actor, topics: topics, now: context.now),
            context: &context)
    }

    private func emitFeedback(_ feedback: OutboxMessage?, context: inout HandlerContext) {
        if let feedback { context.emit(feedback) }
    }

    /// Copies the current catalogue's capacities into the slot counters and promotes waiting
    /// patients into free slots (a capacity raised in the file since the last run). Run once at
    /// start, before the worker (``makeTrialAccessWorker(store:client:topics:catalogPath:config:options:logger:)``
    /// does). Returns how many waiting patients were offered a slot (each is promoted by its offer);
    /// `clock` dates their reservations.
    @discardableResult
    public func prepare(store: any TransitStore, clock: any WallClock = SystemWallClock()) async throws -> Int {
        let topics = self.topics
        let now = clock.nowMilliseconds()
        return try await store.transaction { transaction in
            let session = try self.session(transaction, now: now)
            var promoted = 0
            var messages: [OutboxMessage] = []
            for trial in session.catalog.trials {
                for site in trial.sites {
                    try transaction.setCapacity(
                        counter: StateKeys.slotCounter(trialID: trial.trialID, siteID: site.siteID),
                        capacity: site.screeningCapacity)
                }
                for site in trial.sites where trial.acceptsPatients(atSite: site.siteID) {
                    let outcome = try session.fill(
                        SlotKey(trialID: trial.trialID, siteID: site.siteID),
                        causeEventID: "catalog/\(trial.trialID)/\(trial.updatedAt)")
                    try session.save(outcome)
                    promoted += outcome.offers.count
                    messages += outcome.messages(topics: topics, source: self.name).map {
                        OutboxMessage(topic: $0.topic, key: Array($0.key.utf8), value: $0.value)
                    }
                }
            }
            try transaction.enqueue(messages)
            return promoted
        }
    }
}
