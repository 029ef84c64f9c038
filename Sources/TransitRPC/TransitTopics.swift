/// Topic names of the wire contract (docs/CONTRACT.md §2), with an optional deployment prefix.
public struct TransitTopics: Sendable, Hashable {
    /// Put in front of every topic name, e.g. `acme.`. Default: none.
    public var prefix: String

    public init(prefix: String = "") {
        self.prefix = prefix
    }

    public var enrollmentEvents: String { prefix + "enrollment.events.v1" }
    public var travelRequests: String { prefix + "travel.requests.v1" }
    public var trialCatalog: String { prefix + "trial.catalog.v1" }
    public var trialAccessEvents: String { prefix + "trial.access.events.v1" }
    public var bookingEvents: String { prefix + "transport.booking.events.v1" }
    public var deadLetters: String { prefix + "trialtransit.dlq.v1" }
    public var audit: String { prefix + "trialtransit.audit.v1" }
    /// Feedback to enrollment systems on what they published (docs/CONTRACT.md §2).
    public var enrollmentFeedback: String { prefix + "enrollment.feedback.v1" }

    /// Ride offers and cancellations for one partner.
    public func partnerRequests(_ partnerID: String) -> String { prefix + "transport.partner.\(partnerID).requests.v1" }
    /// Ride status updates from one partner.
    public func partnerUpdates(_ partnerID: String) -> String { prefix + "transport.partner.\(partnerID).updates.v1" }
    /// Feedback to one partner on its status updates.
    public func partnerFeedback(_ partnerID: String) -> String { prefix + "transport.partner.\(partnerID).feedback.v1" }

    /// The feedback topic of the system that publishes on `inputTopic`: `enrollment.feedback.v1`
    /// for the enrollment, travel and catalogue topics, `transport.partner.<id>.feedback.v1` for a
    /// partner's updates; nil for every other topic (RPC callers get replies; the other topics are
    /// written by TrialTransit itself).
    public func feedbackTopic(forInput inputTopic: String) -> String? {
        if inputTopic == enrollmentEvents || inputTopic == travelRequests || inputTopic == trialCatalog {
            return enrollmentFeedback
        }
        guard let partner = partnerID(inTopic: inputTopic), inputTopic == partnerUpdates(partner) else { return nil }
        return partnerFeedback(partner)
    }

    /// The partner id of a partner topic (`transport.partner.<id>.requests|updates|feedback.v1`).
    public func partnerID(inTopic name: String) -> String? {
        let head = prefix + "transport.partner."
        guard name.hasPrefix(head) else { return nil }
        let rest = name.dropFirst(head.count)
        for tail in [".requests.v1", ".updates.v1", ".feedback.v1"] where rest.hasSuffix(tail) {
            let id = rest.dropLast(tail.count)
            if !id.isEmpty && !id.contains(".") { return String(id) }
        }
        return nil
    }

    /// Requests of one RPC service, by its full proto name (e.g. `trialtransit.v1.Health`).
    public func rpcRequests(service: String) -> String { prefix + "rpc.\(service).requests" }
    /// The conventional reply topic of one RPC client.
    public func rpcReplies(clientID: String) -> String { prefix + "rpc.replies.\(clientID)" }
}

/// Header names of the wire contract (docs/CONTRACT.md §4).
public enum TransitHeaders {
    public static let rpcMethod = "rpc-method"
    public static let correlationID = "correlation-id"
    public static let replyTo = "reply-to"
    public static let deadline = "deadline"
    public static let idempotencyKey = "idempotency-key"
    public static let rpcStatus = "rpc-status"
    public static let rpcMessage = "rpc-message"
    public static let traceparent = "traceparent"
    public static let replayID = "replay-id"
    public static let replayedFrom = "replayed-from"
    public static let dlqSourceTopic = "dlq-source-topic"
    public static let dlqSourcePartition = "dlq-source-partition"
    public static let dlqSourceOffset = "dlq-source-offset"
    public static let dlqConsumerGroup = "dlq-consumer-group"
    public static let dlqAttempts = "dlq-attempts"
    public static let dlqErrorCode = "dlq-error-code"
    public static let dlqError = "dlq-error"
    public static let dlqFailedAt = "dlq-failed-at"
    /// On a `PUBLISH_FAILED` dead letter: the topic the output was meant for.
    public static let dlqIntendedTopic = "dlq-intended-topic"
}
