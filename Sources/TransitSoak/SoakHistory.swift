/// Everything a soak run sent and read back, the input of ``HistoryChecker``.
public struct SoakHistory: Sendable {
    public var inputs: [SoakInput]
    public var outputs: [SoakOutput]
    /// Screening capacity per site, keyed `"<trial id>/<site id>"`.
    public var capacities: [String: Int]
    /// The RPC calls made with an idempotency key: per key, the response bytes of every call that
    /// was answered, in order (a key called twice has two).
    public var answers: [String: [[UInt8]]]

    public init(inputs: [SoakInput], outputs: [SoakOutput], capacities: [String: Int], answers: [String: [[UInt8]]] = [:]) {
        self.inputs = inputs
        self.outputs = outputs
        self.capacities = capacities
        self.answers = answers
    }
}
