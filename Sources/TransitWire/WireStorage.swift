internal import CTransitProto

/// Owns the memory of one message unpacked by protobuf-c (a ``WireArena``) and frees it, all at
/// once, in deinit.
///
/// `@unchecked Sendable`: after unpacking the C memory is never written again (views only read
/// it), and it is freed exactly once, when the last view referencing it goes away.
public final class WireStorage: @unchecked Sendable {
    private var arena: WireArena

    private init(wireBytes: Int) {
        arena = WireArena(firstChunk: WireArena.unpackChunkSize(forWireBytes: wireBytes))
    }

    /// Unpacks `bytes` with `unpack` (a protoc-c `…__unpack`) into a new storage's arena.
    @inline(__always)
    static func unpack<T>(
        _ bytes: UnsafeRawBufferPointer, _ protoName: String,
        _ unpack: (UnsafeMutablePointer<ProtobufCAllocator>?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<T>?
    ) throws(WireError) -> (storage: WireStorage, message: UnsafeMutablePointer<T>) {
        let storage = WireStorage(wireBytes: bytes.count)
        return (storage, try storage.arena.unpack(bytes, protoName, unpack))
    }
}

/// The views of a repeated message field, read on access.
public struct WireViewList<Element: WireMessageView>: RandomAccessCollection, @unchecked Sendable {
    // @unchecked Sendable: immutable C memory kept alive by `storage` (see WireStorage).
    private let storage: WireStorage
    private let base: UnsafeRawPointer?

    public let count: Int

    init(_ storage: WireStorage, _ base: UnsafeRawPointer?, _ count: Int) {
        self.storage = storage
        self.base = count > 0 ? base : nil
        self.count = self.base == nil ? 0 : count
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "index out of range")
        let element = base.unsafelyUnwrapped.load(
            fromByteOffset: position &* MemoryLayout<UnsafeRawPointer>.stride, as: UnsafeRawPointer.self)
        return Element(_storage: storage, _pointer: element)
    }

    /// Materializes every element.
    public func materialize() -> [Element.Message] { map { $0.materialize() } }
}

/// The strings of a repeated string field, converted on access.
public struct WireStringList: RandomAccessCollection, @unchecked Sendable {
    // @unchecked Sendable: immutable C memory kept alive by `storage` (see WireStorage).
    private let storage: WireStorage
    private let base: UnsafePointer<UnsafeMutablePointer<CChar>?>?

    public let count: Int

    init(_ storage: WireStorage, _ base: UnsafePointer<UnsafeMutablePointer<CChar>?>?, _ count: Int) {
        self.storage = storage
        self.base = count > 0 ? base : nil
        self.count = self.base == nil ? 0 : count
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> String {
        precondition(position >= 0 && position < count, "index out of range")
        return WireC.string(base.unsafelyUnwrapped[position])
    }
}
