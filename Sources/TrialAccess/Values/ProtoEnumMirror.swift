import TransitDomain

/// A domain enum mirroring a proto enum whose values are numbered 1, 2, 3… in declaration order
/// (0 is `_UNSPECIFIED`, which maps to nil); the raw value is the proto enum value name.
public protocol ProtoEnumMirror: RawRepresentable, ProtoNumbered, Codable, Sendable, Hashable
where RawValue == String, AllCases.Index == Int {}

extension ProtoEnumMirror {
    /// Number of the value in its `.proto` file.
    public var protoNumber: Int32 { Int32(Self.allCases.firstIndex(of: self).map { $0 + 1 } ?? 0) }
}
