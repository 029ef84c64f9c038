/// Writer ids for outbox rows (``OutboxScope``).
enum OutboxWriter {
    /// A fresh random id, one per store instance.
    static func newID() -> String {
        String(UInt64.random(in: 0...UInt64.max), radix: 36)
    }
}
