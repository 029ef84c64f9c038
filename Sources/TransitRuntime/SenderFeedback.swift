import TransitKafka
import TransitRPC
import TransitStore
import TransitWire

/// Feedback records for the system that sent an input (`feedback.proto`), on the topic
/// ``TransitTopics/feedbackTopic(forInput:)`` names, keyed like the input.
public enum SenderFeedback {
    /// The feedback record's id: derived from the input's coordinates, so that feedback written
    /// again for the same input is a byte-identical copy.
    public static func eventID(for input: KafkaConsumerMessage) -> String {
        "feedback:\(input.topic):\(input.partition):\(input.offset)"
    }

    /// The feedback record for `input`, or nil when its topic has no outside sender.
    public static func message(
        for input: KafkaConsumerMessage, _ body: InputFeedback.Body, source: String, topics: TransitTopics, now: Int64
    ) -> OutboxMessage? {
        guard let topic = topics.feedbackTopic(forInput: input.topic) else { return nil }
        var feedback = InputFeedback()
        feedback.eventId = eventID(for: input)
        feedback.occurredAt = now
        feedback.source = source
        feedback.body = body
        return OutboxMessage(topic: topic, key: input.key.map(Array.init), value: feedback.wireBytes())
    }

    /// `InputRejected` for an input that had no effect: the failure's code, field path and reason.
    public static func rejected(
        _ input: KafkaConsumerMessage, inputEventID: String?, failure: HandlerFailure, source: String,
        topics: TransitTopics, now: Int64
    ) -> OutboxMessage? {
        var rejected = InputRejected()
        rejected.inputEventId = inputEventID ?? ""
        rejected.topic = input.topic
        rejected.partition = input.partition
        rejected.offset = input.offset
        rejected.reasonCode = failure.code
        rejected.fieldPath = failure.fieldPath ?? ""
        rejected.message = failure.reason
        return message(for: input, .inputRejected(rejected), source: source, topics: topics, now: now)
    }
}
