import Synchronization

/// Process-wide limits applied before any parsing.
public enum WireLimits {
    /// The default of `maxMessageBytes`: 1,000,000 bytes, the same as the producer's
    /// `message.max.bytes` and the topics' `max.message.bytes`
    /// (`KafkaProducerConfiguration.defaultMaxMessageBytes`, the one source; a test checks they
    /// agree): a record too large to publish again is refused before it is decoded.
    public static let defaultMaxMessageBytes = 1_000_000

    private static let maxBytes = Atomic<Int>(defaultMaxMessageBytes)

    /// Largest payload (binary or JSON) a decode accepts; larger input throws `.tooLarge` untouched.
    public static var maxMessageBytes: Int {
        get { maxBytes.load(ordering: .relaxed) }
        set { maxBytes.store(newValue, ordering: .relaxed) }
    }

    /// Deepest nesting of JSON arrays and objects accepted.
    public static let maxJSONDepth = 100
}
