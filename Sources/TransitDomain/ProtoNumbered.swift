/// A domain enum that mirrors a proto enum: `protoNumber` is the value's number in its `.proto`
/// file; the failable init finds the value for a number (nil for UNSPECIFIED and unknown numbers).
public protocol ProtoNumbered: CaseIterable {
    /// Number of the value in its `.proto` file.
    var protoNumber: Int32 { get }
}

extension ProtoNumbered {
    /// The value for a proto number; nil for UNSPECIFIED (0) and unknown numbers.
    public init?(protoNumber: Int32) {
        guard let value = Self.allCases.first(where: { $0.protoNumber == protoNumber }) else { return nil }
        self = value
    }
}
