/// Everything a soak run sent and read back, the input of ``HistoryChecker``.
public struct SoakHistory: Sendable {
    public var inputs: [SoakInput]
    public var outputs: [SoakOutput]
    /// Screening capacity per site, keyed `"<trial id>/<site id>"`.
    public var capacities: [String: Int]

    public init(inputs: [SoakInput], outputs: [SoakOutput], capacities: [String: Int]) {
        self.inputs = inputs
        self.outputs = outputs
        self.capacities = capacities
    }
}
