import Crypto
import Foundation
import Logging
import Synchronization
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitTime
import TransitWire

/// Forwards one webhook partner's commands (`transport.partner.<id>.requests.v1`) and the
/// feedback on its updates (`transport.partner.<id>.feedback.v1`: updates the transport worker
/// rejected) to its URL, one at a time in offset order (a booking's commands stay in order): each
/// is delivered or dead-lettered, and logged, before its offset is committed, so a crash or restart
/// sends it again with the same delivery id and nothing is lost.
public final class PartnerOutbound: Sendable {
    public let partner: WebhookPartner
    private let options: GatewayOptions
    private let client: KafkaClientConfiguration
    private let producer: KafkaProducer
    private let poster: WebhookPoster
    private let log: DeliveryLog
    private let clock: any WallClock
    private let logger: Logger
    private let assigned = Atomic<Bool>(false)

    public init(
        partner: WebhookPartner, options: GatewayOptions, client: KafkaClientConfiguration, producer: KafkaProducer,
        poster: WebhookPoster, log: DeliveryLog, clock: any WallClock = .system, logger: Logger
    ) {
        self.partner = partner
        self.options = options
        self.client = client
        self.producer = producer
        self.poster = poster
        self.log = log
        self.clock = clock
        var logger = logger
        logger[metadataKey: "partner"] = "\(partner.id)"
        self.logger = logger
    }

    /// The partner's commands: one of the two topics read.
    public var requestsTopic: String { options.topics.partnerRequests(partner.id) }
    /// The feedback on the partner's updates: the other topic read.
    public var feedbackTopic: String { options.topics.partnerFeedback(partner.id) }

    /// True once the partner's consumer group gave this forwarder its first assignment (empty when
    /// the group has more members than partitions): what readiness checks, as for a worker.
    public var joinedGroup: Bool { assigned.load(ordering: .acquiring) }

    /// The id a command is delivered under: the same for every copy and retry of one command
    /// (derived from the partner and the command's event id), so the partner can dedupe.
    public static func deliveryID(partnerID: String, eventID: String) -> String {
        let digest = SHA256.hash(data: Array("\(partnerID)\n\(eventID)".utf8))
        return "dlv-" + digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads and forwards until cancelled. A command in retry when the task is cancelled is left
    /// uncommitted (sent again after the restart).
    public func run() async throws {
        let group = options.group(partnerID: partner.id)
        // A command may be retried for the whole budget between two polls.
        let pollInterval = max(Duration.seconds(300), options.retry.budget + .seconds(120))
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                client: client, groupID: group, maxPollInterval: pollInterval, fetchWaitMax: .milliseconds(100)),
            rebalanceHook: { [self] event, _ in
                if case .assigned = event { self.assigned.store(true, ordering: .releasing) }
            },
            logger: logger)
        try consumer.subscribe(topics: [requestsTopic, feedbackTopic])
        logger.info("forwarding \(requestsTopic) and \(feedbackTopic) to the partner's webhook", metadata: ["group": "\(group)"])
        defer { logger.info("stopped forwarding \(requestsTopic) and \(feedbackTopic)") }
        var nextPruneAt = clock.nowMilliseconds()
        do {
            while !Task.isCancelled {
                if clock.nowMilliseconds() >= nextPruneAt {
                    nextPruneAt = clock.nowMilliseconds() + options.deliveryLogPruneInterval.milliseconds
                    do { try await pruneDeliveryLog() } catch where !(error is CancellationError) {
                        logger.warning("delivery log pruning failed; tried again next round: \(error)")
                    }
                }
                let batch = try await consumer.poll(maxMessages: 100, timeout: .milliseconds(200))
                for message in batch {
                    try await forwardUntilSettled(message, group: group)
                    try consumer.store(message)
                    do { try await consumer.commit() } catch is KafkaError {
                        logger.warning("offset commit failed; the stored offset goes with the next commit")
                    }
                }
            }
        } catch is CancellationError {}
        try? await consumer.close()
    }

    /// Deletes the partner's delivery-log entries last written more than
    /// ``GatewayOptions/deliveryLogRetention`` ago (nothing when it is nil); ``run()`` calls it at
    /// start and every ``GatewayOptions/deliveryLogPruneInterval``. Returns how many it deleted.
    @discardableResult
    public func pruneDeliveryLog() async throws -> Int {
        guard let retention = options.deliveryLogRetention else { return 0 }
        let deleted = try await log.prune(
            partnerID: partner.id, updatedBefore: clock.nowMilliseconds() - retention.milliseconds)
        if deleted > 0 {
            logger.info("delivery log pruned", metadata: ["entries": "\(deleted)", "retention": "\(retention)"])
        }
        return deleted
    }

    /// ``forward(_:group:)``, retried with backoff while the store or the broker fails (the
    /// command is then neither skipped nor committed); only cancellation ends it early.
    private func forwardUntilSettled(_ message: KafkaConsumerMessage, group: String) async throws {
        let backoff = Backoff(initial: .milliseconds(500), maximum: .seconds(30))
        var failures = 0
        while true {
            do {
                try await forward(message, group: group)
                return
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failures += 1
                let delay = backoff.delay(attempt: failures)
                logger.error(
                    "store or broker failed while settling a command; retried: \(error)",
                    metadata: ["source": "\(message.topic)/\(message.partition)/\(message.offset)"])
                try await Task.sleep(for: delay)
            }
        }
    }

    /// Delivers or dead-letters one record and logs the outcome.
    func forward(_ message: KafkaConsumerMessage, group: String) async throws {
        let source = "\(message.topic)/\(message.partition)/\(message.offset)"
        guard let command = Outgoing(message, feedbackTopic: feedbackTopic) else {
            let expected = message.topic == feedbackTopic ? "InputFeedback" : "PartnerRideCommand"
            try await deadLetter(message, group: group, attempts: 0, code: "DECODE_FAILED", reason: "not a \(expected) with an event id")
            GatewayMetrics.settled(partner: partner.id, outcome: "dead_lettered")
            return
        }
        let deliveryID = Self.deliveryID(partnerID: partner.id, eventID: command.eventID)
        // A deliberate re-run (redrive of a dead letter, replay) is sent again, under the same delivery id.
        let replayID = message.headers.string(TransitHeaders.replayID)
        let key = DeliveryLogEntry.key(deliveryID: deliveryID, replayID: replayID)
        if let entry = try await log.entry(partnerID: partner.id, key: key), entry.isSettled {
            logger.debug("command already \(entry.state), not sent again", metadata: ["delivery": "\(deliveryID)"])
            return
        }
        var entry = DeliveryLogEntry(
            deliveryID: deliveryID, replayID: replayID, eventID: command.eventID, bookingID: command.bookingID, command: command.kind, source: source,
            state: "retrying", attempts: 0, httpStatus: nil, error: nil, firstAttemptAt: clock.nowMilliseconds(),
            updatedAt: clock.nowMilliseconds())
        let body = command.body
        let attempts = DeliveryAttempts(policy: options.retry, clock: clock)
        let result = try await attempts.deliver(
            deliveryID: deliveryID, body: body,
            post: { await poster.post($0, to: partner) },
            sleep: { try await Task.sleep(for: $0) },
            onRetry: { attempt, reason, delay in
                GatewayMetrics.retried(partner: partner.id)
                logger.warning(
                    "delivery attempt \(attempt) failed (\(reason)); retry in \(delay.milliseconds) ms",
                    metadata: ["delivery": "\(deliveryID)"])
            })
        entry.attempts = result.attempts
        entry.firstAttemptAt = result.firstAttemptAt
        entry.updatedAt = clock.nowMilliseconds()
        switch result.outcome {
        case .delivered(let status):
            entry.state = "delivered"
            GatewayMetrics.settled(partner: partner.id, outcome: "delivered")
            entry.httpStatus = status
            logger.info(
                "delivered \(command.kind) after \(result.attempts) attempt(s)",
                metadata: ["delivery": "\(deliveryID)", "booking": "\(command.bookingID)"])
        case .deadLettered(let code, let reason):
            try await deadLetter(message, group: group, attempts: result.attempts, code: code, reason: reason)
            entry.state = "dead-lettered"
            GatewayMetrics.settled(partner: partner.id, outcome: "dead_lettered")
            entry.error = "\(code): \(reason)"
        }
        try await log.record(partnerID: partner.id, entry)
    }

    private func deadLetter(_ message: KafkaConsumerMessage, group: String, attempts: Int, code: String, reason: String) async throws {
        let letter = DeadLetter(
            message: message, group: group, attempts: attempts, code: code, reason: reason, failedAt: clock.nowMilliseconds())
        _ = try await producer.send(letter.producerMessage(topics: options.topics))
        logger.error(
            "command dead-lettered: \(code): \(reason)",
            metadata: ["source": "\(message.topic)/\(message.partition)/\(message.offset)"])
    }
}

/// One record to POST: a command, or feedback on one of the partner's updates.
struct Outgoing {
    var eventID: String
    /// The body's proto3 JSON name (`rideOffer`, …, `inputRejected`).
    var kind: String
    /// The booking a command is about; empty for feedback.
    var bookingID: String
    /// The record as proto3 JSON: what is signed and POSTed.
    var body: [UInt8]

    /// Nil when the record does not decode as its topic's message or has no event id.
    init?(_ message: KafkaConsumerMessage, feedbackTopic: String) {
        if message.topic == feedbackTopic {
            guard let feedback = try? InputFeedback(wireBytes: message.value), !feedback.eventId.isEmpty else { return nil }
            eventID = feedback.eventId
            kind = feedback.kind
            bookingID = ""
            body = Array(feedback.jsonString().utf8)
        } else {
            guard let command = try? PartnerRideCommand(wireBytes: message.value), !command.eventId.isEmpty else { return nil }
            eventID = command.eventId
            kind = command.kind
            bookingID = command.bookingID
            body = Array(command.jsonString().utf8)
        }
    }
}

extension InputFeedback {
    /// The body's proto3 JSON name.
    var kind: String {
        switch body {
        case .inputRejected: "inputRejected"
        case .trialCatalogApplied: "trialCatalogApplied"
        case nil: "unknown"
        }
    }
}

extension PartnerRideCommand {
    /// The body's proto3 JSON name.
    var kind: String {
        switch body {
        case .rideOffer: "rideOffer"
        case .rideConfirmation: "rideConfirmation"
        case .rideCancellation: "rideCancellation"
        case nil: "unknown"
        }
    }

    /// The booking the command is about.
    var bookingID: String {
        switch body {
        case .rideOffer(let offer): offer.bookingId
        case .rideConfirmation(let confirmation): confirmation.bookingId
        case .rideCancellation(let cancellation): cancellation.bookingId
        case nil: ""
        }
    }
}
