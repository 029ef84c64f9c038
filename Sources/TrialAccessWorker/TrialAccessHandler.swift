import Foundation
import Logging
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import TrialAccess

/// The trial-access worker: eligibility and site slots, enrollment states, visits and consent
/// (docs/TRIAL_ACCESS.md), run by a ``Worker``.
///
/// Consumes `enrollment.events.v1`, `travel.requests.v1`, the compacted `trial.catalog.v1`, the
/// `TrialAccess` RPC requests and `transport.booking.events.v1` (only `RideNeedsAttention` with a
/// transport reason: the visit is at risk, and `RideConfirmed`: the leg's risk is cleared); emits `TrialAccessEvent`s on `trial.access.events.v1`, one
/// `AuditRecord` per state change on `trialtransit.audit.v1`, and `WaitlistSlotOffered` commands for
/// waiting patients on `enrollment.events.v1` (docs/TRIAL_ACCESS.md §5). State lives in the worker's store:
/// namespace `enrollment` (key patient ref), `waitlist` (key trial id), `catalog` (live catalogue
/// entries, key trial id), slot counters `slots/<trial>/<site>`, and reservation-expiry timers.
/// A refused event goes to the dead-letter topic with the rejection's code; a refused call is
/// answered with its status.
public struct TrialAccessHandler: TransitHandler {
    public typealias Input = TrialAccessInput

    /// Worker name: consumer group `trialtransit.trial-access`, timer owner, event `source` and
    /// audit `actor`.
    public static let workerName = "trial-access"

    public var name: String { Self.workerName }
    public let inputTopics: [String]
    /// Outputs, audit records, and slot offers to waiting patients (on its own input topic,
    /// docs/TRIAL_ACCESS.md §5).
    public var outputTopics: [String] { [topics.trialAccessEvents, topics.audit, topics.enrollmentEvents] }
    /// Topic names (with the deployment prefix).
    public let topics: TransitTopics
    /// Rules settings (reservation time-to-live, end-of-treatment and end-of-study visit codes).
    public let config: TrialAccessConfig
    /// Whether sessions lock aggregates before reading them (see ``init(topics:catalog:config:aggregateLocks:logger:)``).
    public let aggregateLocks: Bool
    let catalogs: CatalogSource
    let logger: Logger

    /// A handler over `catalog` (the start-up catalogue; live entries from the store overlay it).
    /// `aggregateLocks`: lock each patient and waitlist before reading it (docs/TRIAL_ACCESS.md),
    /// needed where transactions run concurrently (PostgreSQL); a store that runs them one at a
    /// time (``TransitStore/serializesTransactions``, SQLite) does not need the lock rows.
    public init(
        topics: TransitTopics, catalog: TrialCatalog, config: TrialAccessConfig = .standard, aggregateLocks: Bool = true,
        logger: Logger
    ) {
        self.topics = topics
        self.config = config
        self.aggregateLocks = aggregateLocks
        self.catalogs = CatalogSource(base: catalog)
        var logger = logger
        logger[metadataKey: "worker"] = "\(Self.workerName)"
        self.logger = logger
        self.inputTopics = Self.inputTopics(topics)
    }

    /// The topics the worker consumes.
    public static func inputTopics(_ topics: TransitTopics) -> [String] {
        [
            topics.enrollmentEvents, topics.travelRequests, topics.trialCatalog,
            topics.rpcRequests(service: TrialAccessService.name), topics.bookingEvents,
        ]
    }

    /// A handler whose start-up catalogue is the JSON file at `catalogPath` (docs/TRIAL_ACCESS.md §9).
    /// Throws ``CatalogFileError`` when the file cannot be read or is malformed or invalid.
    public init(
        topics: TransitTopics, catalogPath: String, config: TrialAccessConfig = .standard, aggregateLocks: Bool = true,
        logger: Logger
    ) throws {
        self.init(
            topics: topics, catalog: try TrialCatalog.load(file: catalogPath), config: config, aggregateLocks: aggregateLocks,
            logger: logger)
    }

    /// The start-up catalogue.
    public var startupCatalog: TrialCatalog { catalogs.base }

    public func handle(
        _ record: DecodedRecord<TrialAccessInput>, transaction: any StoreTransaction, context: inout HandlerContext
    ) throws {
        switch record.input {
        case .enrollment(let event):
            try run(Self.mapped { () throws(WireMappingError) in try event.command() }, transaction, &context)
        case .travel(let event):
            try run(Self.mapped { () throws(WireMappingError) in try event.command() }, transaction, &context)
        case .catalog(let catalogRecord):
            try apply(catalogRecord, transaction: transaction, context: &context)
        case .bookingEvent(let patientRef, let occurredAt, let body):
            let command = TrialAccessCommand(
                eventID: record.eventID, patientRef: patientRef, occurredAt: occurredAt, body: body)
            try run(.success(command), transaction, &context)
        case .notForThisWorker:
            return
        case .rpc:
            guard let message = context.source else { return }
            let router = rpcRouter(commandEventID: Self.rpcCommandEventID(message))
            try context.answerRPC(message, router: router, transaction: transaction)
        }
    }

    public func fire(_ timer: DurableTimer, transaction: any StoreTransaction, context: inout HandlerContext) throws {
        guard let reservation = ReservationTimer(timer) else {
            logger.warning("unreadable reservation timer dropped")
            return
        }
        let command = reservation.firingCommand
        let session = try session(transaction, now: context.now)
        switch try session.decide(command) {
        case .failure(let rejection):
            // Timer ids name the patient: log the code only.
            logger.notice("reservation expiry refused; timer dropped", metadata: ["code": "\(rejection.code.rawValue)"])
        case .success(let outcome):
            try session.save(outcome)
            emit(outcome, context: &context)
            logger.debug(
                "reservation timer fired",
                metadata: ["outputs": "\(outcome.outputs.count)", "ignored": "\(outcome.ignoredReason ?? "-")"])
        }
    }

    // MARK: Commands

    /// Decides and saves an event's command; a refusal becomes a dead letter.
    private func run(
        _ mapped: Result<TrialAccessCommand, HandlerFailure>, _ transaction: any StoreTransaction,
        _ context: inout HandlerContext
    ) throws {
        let command = try mapped.get()
        let session = try session(transaction, now: context.now)
        switch try session.decide(command) {
        case .failure(let rejection):
            logger.info(
                "input refused",
                metadata: [
                    "event_id": "\(Self.loggableEventID(command))", "input": "\(command.body.name)",
                    "code": "\(rejection.code.rawValue)",
                ])
            throw HandlerFailure(code: rejection.code.dlqErrorCode, reason: rejection.message)
        case .success(let outcome):
            try session.save(outcome)
            emit(outcome, context: &context)
            logger.debug(
                "input handled",
                metadata: [
                    "event_id": "\(Self.loggableEventID(command))", "input": "\(command.body.name)",
                    "outputs": "\(outcome.outputs.count)",
                    "ignored": "\(outcome.ignoredReason ?? "-")",
                ])
        }
    }

    /// The event id to log: a slot offer's id names the offered patient (and its cause may be a
    /// timer id naming another), so it is left out.
    private static func loggableEventID(_ command: TrialAccessCommand) -> String {
        if case .waitlistSlotOffered = command.body { return "-" }
        return command.eventID
    }

    private static func mapped(
        _ body: () throws(WireMappingError) -> TrialAccessCommand
    ) -> Result<TrialAccessCommand, HandlerFailure> {
        do throws(WireMappingError) {
            return .success(try body())
        } catch {
            return .failure(.invalid(error.description))
        }
    }

    func session(_ transaction: any StoreTransaction, now: Int64) throws -> TrialAccessSession {
        TrialAccessSession(
            transaction: transaction, catalog: try catalogs.current(in: transaction), config: config, now: now,
            timerOwner: name, locking: aggregateLocks)
    }

    func emit(_ outcome: TrialAccessOutcome, context: inout HandlerContext) {
        TrialAccessMetrics.decided(outcome)
        for message in outcome.messages(topics: context.topics, source: name) {
            context.emit(topic: message.topic, key: message.key, value: message.value)
        }
    }
}
