/// A protobuf message of package `trialtransit.v1` as a Swift value, encoded and decoded by protobuf-c.
///
/// Conforming types are generated from `protos/` by `scripts/generate-protos`; see docs/WIRE.md.
public protocol WireMessage: Sendable, Hashable {
    /// Lazy read-only view over the decoded protobuf-c struct.
    associatedtype View: WireMessageView where View.Message == Self

    /// Full proto name, e.g. `"trialtransit.v1.PatientReferred"`.
    static var protoName: String { get }

    /// The message with every field at its proto3 default.
    init()

    /// Decodes protobuf binary bytes; unknown fields are dropped, unknown enum numbers kept.
    init(wireBytes: UnsafeRawBufferPointer) throws(WireError)

    /// Decodes into a view that converts fields only when they are read.
    static func decodeView(_ bytes: UnsafeRawBufferPointer) throws(WireError) -> View

    /// Encodes to protobuf binary bytes (deterministic: map entries sorted by key).
    func wireBytes() -> [UInt8]

    /// Decodes proto3 JSON (lowerCamelCase or original field names; enums as names or numbers).
    init(jsonUTF8: some Collection<UInt8>) throws(WireError)

    /// Encodes as compact proto3 JSON: lowerCamelCase names, default values omitted.
    func jsonString() -> String
}

extension WireMessage {
    // @inlinable, so that callers get code specialized for the concrete message; the `as!` casts
    // never fail: the closures throw only WireError (the stdlib's withUnsafeBytes is untyped).

    /// Decodes protobuf binary bytes.
    @inlinable
    public init(wireBytes bytes: [UInt8]) throws(WireError) {
        do { self = try bytes.withUnsafeBytes { try Self(wireBytes: $0) } } catch { throw error as! WireError }
    }

    /// Decodes protobuf binary bytes.
    @inlinable
    public init(wireBytes bytes: ArraySlice<UInt8>) throws(WireError) {
        do { self = try bytes.withUnsafeBytes { try Self(wireBytes: $0) } } catch { throw error as! WireError }
    }

    /// Decodes into a lazy view; the view does not reference `bytes` afterwards.
    @inlinable
    public static func decodeView(_ bytes: [UInt8]) throws(WireError) -> View {
        do { return try bytes.withUnsafeBytes { try decodeView($0) } } catch { throw error as! WireError }
    }

    /// Decodes into a lazy view; the view does not reference `bytes` afterwards.
    @inlinable
    public static func decodeView(_ bytes: ArraySlice<UInt8>) throws(WireError) -> View {
        do { return try bytes.withUnsafeBytes { try decodeView($0) } } catch { throw error as! WireError }
    }

    /// Decodes proto3 JSON text.
    public init(jsonString: String) throws(WireError) {
        try self.init(jsonUTF8: jsonString.utf8)
    }
}

/// A read-only view over one decoded protobuf-c message (the root or a nested one).
///
/// Properties convert a field each time they are read, so read a field once and keep the value.
/// A view keeps the whole decoded C message alive; copies are cheap.
public protocol WireMessageView: Sendable {
    /// The value type this view materializes to.
    associatedtype Message: WireMessage

    /// Internal to generated code: wraps `pointer`, a protobuf-c struct owned by `storage`.
    init(_storage storage: WireStorage, _pointer pointer: UnsafeRawPointer)

    /// Converts every field into the value type.
    func materialize() -> Message
}

/// An enum of the protos: a raw number that keeps values this build does not know.
public protocol WireEnum: RawRepresentable, Hashable, Sendable, CustomStringConvertible where RawValue == Int32 {
    /// Full proto name, e.g. `"trialtransit.v1.Mobility"`.
    static var protoName: String { get }
    /// Every value the protos declare, in declaration order.
    static var knownValues: [Self] { get }
    /// The proto name of the value (`"MOBILITY_WHEELCHAIR"`), or nil for an unknown number.
    var name: String? { get }
    /// The value whose proto name is `name`.
    init?(name: String)
    /// Wraps any number, known or not.
    init(rawValue: Int32)
}

extension WireEnum {
    /// Whether the protos declare this number.
    public var isKnown: Bool { name != nil }
    /// The proto name, or the number for an unknown value.
    public var description: String { name ?? String(rawValue) }
}
