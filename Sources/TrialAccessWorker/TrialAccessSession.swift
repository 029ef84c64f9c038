import TransitRPC
import TransitStore
import TransitWire
import TrialAccess

/// Runs trial-access commands inside one store transaction: the domain engine over a
/// ``StoreRepository`` and a ``StoreSlotLedger``, then saving what it decided.
struct TrialAccessSession {
    let transaction: any StoreTransaction
    let catalog: TrialCatalog
    let config: TrialAccessConfig
    /// Decision time, unix ms.
    let now: Int64
    /// Owner of the durable timers (the handler's name).
    let timerOwner: String
    /// Lock each aggregate before reading it (concurrent transactions, PostgreSQL).
    let locking: Bool

    /// One repository for the session, so that a patient's record is read and decoded once.
    private let repository: StoreRepository

    init(
        transaction: any StoreTransaction, catalog: TrialCatalog, config: TrialAccessConfig, now: Int64,
        timerOwner: String, locking: Bool
    ) {
        self.transaction = transaction
        self.catalog = catalog
        self.config = config
        self.now = now
        self.timerOwner = timerOwner
        self.locking = locking
        self.repository = StoreRepository(transaction: transaction, locking: locking)
    }

    /// Decides `command` (and promotes waiting patients into slots it frees). Nothing is written
    /// but the slot counters, which the domain undoes itself on a rejection, and lock rows.
    func decide(_ command: TrialAccessCommand) throws -> Result<TrialAccessOutcome, TrialAccessRejection> {
        var ledger = StoreSlotLedger(transaction: transaction)
        let result = try TrialAccessEngine.handle(
            command, repository: repository, catalog: catalog, ledger: &ledger, now: now, config: config)
        try ledger.rethrowFailure()
        return result
    }

    /// Offers free slots at `slot` to waiting patients.
    func fill(_ slot: SlotKey, causeEventID: String) throws -> TrialAccessOutcome {
        var ledger = StoreSlotLedger(transaction: transaction)
        let outcome = try TrialAccessEngine.fillFreeSlots(
            at: slot, causeEventID: causeEventID, repository: repository, catalog: catalog, ledger: &ledger, now: now)
        try ledger.rethrowFailure()
        return outcome
    }

    /// Writes the outcome's aggregates and timers.
    func save(_ outcome: TrialAccessOutcome) throws {
        try repository.save(enrollments: outcome.enrollments, waitlists: outcome.waitlists)
        for instruction in outcome.timers {
            switch instruction {
            case .set(let timer): try transaction.schedule(try timer.durable(owner: timerOwner))
            case .cancel(let timerID): try transaction.cancelTimer(key: timerID)
            }
        }
    }
}

extension ReservationTimer {
    /// The durable timer: key = ``timerID``, payload = this timer (a `StoredReservationTimer`).
    func durable(owner: String) throws -> DurableTimer {
        DurableTimer(key: timerID, owner: owner, fireAt: fireAt, payload: storedBytes)
    }

    /// The reservation timer stored in `timer`, or nil when its payload is not one.
    init?(_ timer: DurableTimer) {
        guard let decoded = try? ReservationTimer(storedBytes: timer.payload) else { return nil }
        self = decoded
    }
}

/// A message to publish: an event on `trial.access.events.v1`, an audit record, or a slot offer on
/// `enrollment.events.v1`.
struct OutgoingMessage: Sendable {
    var topic: String
    var key: String
    var value: [UInt8]
}

extension TrialAccessOutcome {
    /// The events (key = each output's patient ref), audit records (key = subject) and slot offers
    /// (`WaitlistSlotOffered` on `enrollment.events.v1`, key = the offered patient, so that the owner
    /// of that patient's partition promotes them) of the outcome, in order. `source`: the worker
    /// name, the events' `source`; the audit `actor` is `worker:<source>` (audit.proto).
    func messages(topics: TransitTopics, source: String) -> [OutgoingMessage] {
        outputs.map {
            OutgoingMessage(
                topic: topics.trialAccessEvents, key: $0.patientRef, value: $0.wire(source: source).wireBytes())
        }
            + audit.map {
                OutgoingMessage(topic: topics.audit, key: $0.subject, value: $0.wire(actor: "worker:" + source).wireBytes())
            }
            + offers.compactMap { offer in
                offer.offerEvent(source: source).map {
                    OutgoingMessage(topic: topics.enrollmentEvents, key: offer.patientRef, value: $0.wireBytes())
                }
            }
    }
}
