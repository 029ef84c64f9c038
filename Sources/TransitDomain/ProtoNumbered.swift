/// A domain enum mirroring a proto enum that numbers its values 1, 2, 3… in the order the enum
/// declares its cases (0, `_UNSPECIFIED`, has no case): the number is the case's place plus one,
/// so the order of the cases is the one list of the numbers (`ProtoEnumNumberingTests` checks each
/// against its generated proto enum).
public protocol ProtoNumbered: CaseIterable, Equatable where AllCases.Index == Int {}

extension ProtoNumbered {
    /// Number of the value in its `.proto` file: its place among the cases, plus one.
    @inlinable
    public var protoNumber: Int32 { Int32(Self.allCases.firstIndex(of: self).map { $0 + 1 } ?? 0) }

    /// The value for a proto number (its case at place `protoNumber - 1`); nil for UNSPECIFIED (0)
    /// and unknown numbers. Wire mapping calls it per enum field of every input, so it indexes
    /// the cases instead of searching them.
    @inlinable
    public init?(protoNumber: Int32) {
        let cases = Self.allCases
        guard protoNumber >= 1, Int(protoNumber) <= cases.count else { return nil }
        self = cases[cases.startIndex + Int(protoNumber) - 1]
    }
}
