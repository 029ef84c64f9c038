import TransitDomain

/// A domain enum mirroring a proto enum whose values are numbered 1, 2, 3… in declaration order
/// (0 is `_UNSPECIFIED`, which maps to nil); the raw value is the proto enum value name.
public protocol ProtoEnumMirror: RawRepresentable, ProtoNumbered, Codable, Sendable, Hashable
where RawValue == String {}
