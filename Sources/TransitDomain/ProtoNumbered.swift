/// A domain enum that mirrors a proto enum: `protoNumber` is the value's number in its `.proto`
/// file; the failable init finds the value for a number (nil for UNSPECIFIED and unknown numbers).
public protocol ProtoNumbered: CaseIterable {
    /// Number of the value in its `.proto` file.
    var protoNumber: Int32 { get }
}

extension ProtoNumbered {
    /// The value for a proto number; nil for UNSPECIFIED (0) and unknown numbers.
    @inlinable
    public init?(protoNumber: Int32) {
        guard let value = Self.allCases.first(where: { $0.protoNumber == protoNumber }) else { return nil }
        self = value
    }
}

/// A ``ProtoNumbered`` enum whose proto enum numbers its values 1, 2, 3… in the order the enum
/// declares its cases (0, `_UNSPECIFIED`, has no case): the number is the case's place plus one,
/// so the order of the cases is the one list of the numbers.
public protocol ProtoNumberedInOrder: ProtoNumbered, Equatable where AllCases.Index == Int {}

extension ProtoNumberedInOrder {
    /// Number of the value in its `.proto` file: its place among the cases, plus one.
    @inlinable
    public var protoNumber: Int32 { Int32(Self.allCases.firstIndex(of: self).map { $0 + 1 } ?? 0) }

    /// The value for a proto number (its case at place `protoNumber - 1`); nil for UNSPECIFIED (0)
    /// and unknown numbers. The same answer as ``ProtoNumbered``'s search, without comparing every
    /// case's number (each a search of its own): wire mapping calls it per field of every input.
    @inlinable
    public init?(protoNumber: Int32) {
        let cases = Self.allCases
        guard protoNumber >= 1, Int(protoNumber) <= cases.count else { return nil }
        self = cases[cases.startIndex + Int(protoNumber) - 1]
    }
}
