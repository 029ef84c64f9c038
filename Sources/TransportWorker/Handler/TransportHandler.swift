import Logging
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import TransportBooking

/// The transport-booking worker: joins travel requests with trial access's `TravelNeeded`, books
/// and offers rides through ``BookingDecider``, applies partner updates, fires offer time-outs and
/// serves the `TransportBooking` service, writing every decision in the batch's transaction.
///
/// Inputs: `travel.requests.v1`, `trial.access.events.v1`, every configured partner's updates
/// topic and `rpc.trialtransit.v1.TransportBooking.requests`. Outputs: `BookingEvent`s
/// (key patient_ref), `PartnerRideCommand`s (key booking id) and `AuditRecord`s (key subject).
public struct TransportHandler: TransitHandler {
    /// The default worker name: consumer group `trialtransit.transport`.
    public static let workerName = "transport"
    /// Worker name: consumer group `trialtransit.<name>`, owner of its timers, envelope `source`.
    public let name: String
    /// The configured partners.
    public let partners: PartnerDirectory
    /// Planning policy.
    public let config: BookingConfig
    /// Keys of booking ids (``BookingIDKeyring``): new bookings get the current key's ids.
    public let bookingIDs: BookingIDKeyring
    /// Topic names (with the deployment prefix).
    public let topics: TransitTopics
    let logger: Logger
    /// Whether writers take each patient's lock before reading its aggregates (``BookingState``):
    /// needed when several processes share a PostgreSQL store; pointless on SQLite, whose
    /// `BEGIN IMMEDIATE` transactions already run one at a time.
    public let patientLocks: Bool
    /// Partner id by the updates topic it writes to.
    let partnerByUpdatesTopic: [String: String]

    /// - Parameters:
    ///   - partners: the partner file's partners; their updates topics are read.
    ///   - bookingIDs: booking-id keys (``BookingIDKeySource`` loads a deployment's).
    ///   - topics: the deployment's topic names; the same as the ``Worker``'s.
    ///   - logger: logs ids and codes only (booking ids, timer ids, reason codes).
    ///   - patientLocks: take patient locks (``BookingState``); keep the default unless the store
    ///     serializes every write transaction itself, as ``SQLiteStore`` does.
    public init(
        partners: PartnerDirectory, bookingIDs: BookingIDKeyring, topics: TransitTopics = TransitTopics(),
        config: BookingConfig = .standard,
        name: String = TransportHandler.workerName, logger: Logger = Logger(label: "trialtransit.transport"), patientLocks: Bool = true
    ) {
        self.name = name
        self.patientLocks = patientLocks
        self.partners = partners
        self.config = config
        self.bookingIDs = bookingIDs
        self.topics = topics
        self.logger = logger
        var byTopic: [String: String] = [:]
        for partner in partners.partners { byTopic[topics.partnerUpdates(partner.id)] = partner.id }
        self.partnerByUpdatesTopic = byTopic
    }

    public var inputTopics: [String] { Self.inputTopics(topics, partnerIDs: partners.partners.map(\.id)) }

    /// The topics the worker consumes, with the updates topics of the partners `partnerIDs`.
    public static func inputTopics(_ topics: TransitTopics, partnerIDs: [String]) -> [String] {
        [topics.travelRequests, topics.trialAccessEvents, topics.rpcRequests(service: TransportBookingService.name)]
            + partnerIDs.map(topics.partnerUpdates)
    }

    public var outputTopics: [String] {
        [topics.bookingEvents, topics.audit] + partners.partners.map { topics.partnerRequests($0.id) }
    }

    public func decode(_ message: KafkaConsumerMessage) throws(HandlerFailure) -> DecodedRecord<TransportInput> {
        let topic = message.topic
        if topic == topics.travelRequests {
            let event: TravelEvent
            do { event = try TravelEvent(wireBytes: message.value) } catch {
                throw .decodeFailed("value is not a trialtransit.v1.TravelEvent: \(error.code)")
            }
            try Self.checkEnvelope(eventID: event.eventId, patientRef: event.patientRef, hasBody: event.body != nil)
            return DecodedRecord(eventID: event.eventId, input: .travel(event))
        }
        if topic == topics.trialAccessEvents {
            let event: TrialAccessEvent
            do { event = try TrialAccessEvent(wireBytes: message.value) } catch {
                throw .decodeFailed("value is not a trialtransit.v1.TrialAccessEvent: \(error.code)")
            }
            try Self.checkEnvelope(eventID: event.eventId, patientRef: event.patientRef, hasBody: event.body != nil)
            switch event.body {
            case .travelNeeded, .travelNoLongerNeeded, .visitPlanned:
                return DecodedRecord(eventID: event.eventId, input: .trialAccess(event))
            default:
                return DecodedRecord(eventID: event.eventId, input: .notForThisWorker)
            }
        }
        if let partnerID = partnerByUpdatesTopic[topic] {
            let update: PartnerRideUpdate
            do { update = try PartnerRideUpdate(wireBytes: message.value) } catch {
                throw .decodeFailed("value is not a trialtransit.v1.PartnerRideUpdate: \(error.code)")
            }
            guard !update.eventId.isEmpty else { throw .invalid("event_id is empty", field: "event_id") }
            return DecodedRecord(
                eventID: TransportInput.partnerEventID(partnerID: partnerID, eventID: update.eventId),
                input: .partnerUpdate(partnerID: partnerID, update))
        }
        if topic == topics.rpcRequests(service: TransportBookingService.name) {
            guard let eventID = HandlerContext.rpcEventID(message) else {
                throw HandlerFailure(code: "NO_REPLY_TO", reason: "request without reply-to or correlation-id")
            }
            return DecodedRecord(eventID: eventID, input: .rpc(message))
        }
        throw HandlerFailure(code: "UNKNOWN_TOPIC", reason: "the transport worker does not read \(topic)")
    }

    private static func checkEnvelope(eventID: String, patientRef: String, hasBody: Bool) throws(HandlerFailure) {
        guard !eventID.isEmpty else { throw .invalid("event_id is empty", field: "event_id") }
        guard !patientRef.isEmpty else { throw .invalid("patient_ref is empty", field: "patient_ref") }
        guard hasBody else { throw HandlerFailure(code: "NO_BODY", reason: "envelope has no body") }
    }

    public func handle(
        _ record: DecodedRecord<TransportInput>, transaction: any StoreTransaction, context: inout HandlerContext
    ) throws {
        switch record.input {
        case .travel(let event):
            try handleTravel(event, transaction: transaction, context: &context)
        case .trialAccess(let event):
            try handleTrialAccess(event, transaction: transaction, context: &context)
        case .partnerUpdate(let partnerID, let update):
            try handlePartnerUpdate(
                update, partnerID: partnerID, inputID: record.eventID, transaction: transaction, context: &context)
        case .rpc(let message):
            try context.answerRPC(
                message, router: router(inputID: HandlerContext.rpcInputID(message)), transaction: transaction)
        case .notForThisWorker:
            break
        }
    }

    public func fire(_ timer: DurableTimer, transaction: any StoreTransaction, context: inout HandlerContext) throws {
        guard let timeout = OfferTimeout(timerID: timer.key) else {
            logger.warning("unknown timer dropped", metadata: ["timer": "\(timer.key)"])
            return
        }
        let state = BookingState(transaction: transaction, locking: patientLocks)
        let booking = try state.booking(id: timeout.bookingID)
        switch decide(.offerTimedOut(timeout), booking: booking, now: context.now) {
        case .success(let decision):
            let outputs = try BookingWriter(handler: self, state: state).write(decision)
            for output in outputs { context.emit(topic: output.topic, key: output.key, value: output.value) }
        case .failure(let rejection):
            logger.warning(
                "offer timer rejected", metadata: ["timer": "\(timer.key)", "reason": "\(rejection.code.rawValue)"])
        }
    }

    /// Runs the decider with this worker's partners and policy.
    func decide(_ command: BookingCommand, booking: Domain.Booking?, now: Int64)
        -> Result<BookingDecision, BookingRejection>
    {
        BookingDecider().decide(command, booking: booking, partners: partners, now: now, config: config)
    }
}
