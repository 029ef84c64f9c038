extension Duration {
    /// Whole milliseconds, rounded down: librdkafka's `*.ms` properties, and the unix-ms times of
    /// the wire contract and the stores.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
