internal import CTransitProto

/// Bump allocator for one encode: the C structs, pointer arrays and NUL-terminated strings of a
/// message's protobuf-c representation.
///
/// Memory comes in chunks: a first chunk of about 1 KiB (a typical event needs less), then chunks of
/// growing size. Structs and arrays are placed from a chunk's front (8-byte aligned), string
/// bytes from its back. Nothing is allocated per field and nothing moves, so the pointers handed
/// to protobuf-c stay valid until `release()`.
struct WireArena: ~Copyable {
    /// Current chunk; its first word links to the previous chunk.
    private var chunk: UnsafeMutableRawPointer
    private var chunkSize: Int
    private var front: Int
    private var back: Int

    private static let headerSize = 16
    private static let firstChunkSize = 1000  // served from glibc's per-thread cache (<= 1032)

    init() {
        chunk = Self.allocateChunk(Self.firstChunkSize, previous: nil)
        chunkSize = Self.firstChunkSize
        front = Self.headerSize
        back = Self.firstChunkSize
    }

    /// Frees every chunk.
    consuming func release() {
        var next: UnsafeMutableRawPointer? = chunk
        while let current = next {
            next = current.load(as: UnsafeMutableRawPointer?.self)
            current.assumingMemoryBound(to: UInt64.self).deallocate()
        }
    }

    private static func allocateChunk(_ size: Int, previous: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer {
        // Typed allocation: plain malloc (a raw allocation goes through posix_memalign).
        let chunk = UnsafeMutableRawPointer(UnsafeMutablePointer<UInt64>.allocate(capacity: size / 8))
        chunk.storeBytes(of: previous, as: UnsafeMutableRawPointer?.self)
        return chunk
    }

    /// Starts a new chunk with room for at least `bytes` more bytes.
    @inline(never)
    private mutating func grow(_ bytes: Int) {
        chunkSize = max(chunkSize &* 2, (bytes &+ Self.headerSize &+ 7) & ~7)
        chunk = Self.allocateChunk(chunkSize, previous: chunk)
        front = Self.headerSize
        back = chunkSize
    }

    @inline(__always)
    private mutating func takeFront(_ size: Int) -> UnsafeMutableRawPointer {
        if back &- front < size { grow(size) }
        defer { front &+= size }
        return chunk + front
    }

    @inline(__always)
    private mutating func takeBack(_ size: Int) -> UnsafeMutableRawPointer {
        if back &- front < size { grow(size) }
        back &-= size
        return chunk + back
    }

    /// Uninitialized room for one `T`; the caller initializes it (protoc-c `…__init`).
    @inline(__always)
    mutating func allocate<T>(_: T.Type) -> UnsafeMutablePointer<T> {
        takeFront((MemoryLayout<T>.stride &+ 7) & ~7).bindMemory(to: T.self, capacity: 1)
    }

    /// Uninitialized room for `count` values of `T`.
    @inline(__always)
    mutating func array<T>(of _: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        takeFront((MemoryLayout<T>.stride &* count &+ 7) & ~7).bindMemory(to: T.self, capacity: count)
    }

    /// A NUL-terminated copy of `string`'s UTF-8 bytes.
    @inline(__always)
    mutating func cString(_ string: borrowing String) -> UnsafeMutablePointer<CChar> {
        let count = string.utf8.count
        // The fast path makes no call while `string` is borrowed, so the string is not retained.
        guard back &- front > count else { return cStringInNewChunk(string) }
        back &-= count &+ 1
        return Self.copy(string, count: count, to: chunk + back)
    }

    @inline(never)
    private mutating func cStringInNewChunk(_ string: borrowing String) -> UnsafeMutablePointer<CChar> {
        let count = string.utf8.count
        return Self.copy(string, count: count, to: takeBack(count &+ 1))
    }

    @inline(__always)
    private static func copy(
        _ string: borrowing String, count: Int, to target: UnsafeMutableRawPointer
    ) -> UnsafeMutablePointer<CChar> {
        if count > 0 {
            // (Not withCString: it allocates for small strings, which have no NUL in storage.)
            let copied: Void? = string.utf8.withContiguousStorageIfAvailable { source in
                WireC.copy(from: UnsafeRawPointer(source.baseAddress.unsafelyUnwrapped), to: target, count: count)
            }
            if copied == nil { copyForeign(string, to: target) }
        }
        target.storeBytes(of: 0, toByteOffset: count, as: UInt8.self)
        return target.bindMemory(to: CChar.self, capacity: count &+ 1)
    }

    /// Bytes of a string without contiguous UTF-8 (a bridged NSString on Apple platforms).
    @inline(never)
    private static func copyForeign(_ string: borrowing String, to target: UnsafeMutableRawPointer) {
        var offset = 0
        for byte in string.utf8 {
            target.storeBytes(of: byte, toByteOffset: offset, as: UInt8.self)
            offset &+= 1
        }
    }

    /// A copy of `bytes` as protobuf-c binary data.
    mutating func bytes(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        let count = bytes.count
        guard count > 0 else { return ProtobufCBinaryData(len: 0, data: nil) }
        let target = takeBack(count)
        bytes.withUnsafeBytes { target.copyMemory(from: $0.baseAddress.unsafelyUnwrapped, byteCount: count) }
        return ProtobufCBinaryData(len: count, data: target.bindMemory(to: UInt8.self, capacity: count))
    }

    /// Packs a filled message with its protoc-c `…__get_packed_size` and `…__pack`.
    @inline(__always)
    static func pack<T>(
        _ message: UnsafePointer<T>, _ packedSize: (UnsafePointer<T>?) -> Int,
        _ pack: (UnsafePointer<T>?, UnsafeMutablePointer<UInt8>?) -> Int
    ) -> [UInt8] {
        let size = packedSize(message)
        guard size > 0 else { return [] }
        // Packed into a temporary, then copied: `Array(UnsafeBufferPointer)` is specialized here,
        // while `Array(unsafeUninitializedCapacity:)` looks its storage type up at run time,
        // which costs more than the copy.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: size) { buffer in
            let count = pack(message, buffer.baseAddress)
            precondition(count == size, "protobuf-c packed \(count) bytes, expected \(size)")
            return Array(UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }
}
