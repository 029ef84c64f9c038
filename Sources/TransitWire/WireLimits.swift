import Synchronization

/// Process-wide limits applied before any parsing.
public enum WireLimits {
    /// The default of `maxMessageBytes`: 4 MiB.
    public static let defaultMaxMessageBytes = 4 << 20

    private static let maxBytes = Atomic<Int>(defaultMaxMessageBytes)

    /// Largest payload (binary or JSON) a decode accepts; larger input throws `.tooLarge` untouched.
    public static var maxMessageBytes: Int {
        get { maxBytes.load(ordering: .relaxed) }
        set { maxBytes.store(newValue, ordering: .relaxed) }
    }

    /// Deepest nesting of JSON arrays and objects accepted.
    public static let maxJSONDepth = 100
}
