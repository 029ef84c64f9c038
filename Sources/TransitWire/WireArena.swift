internal import CTransitProto

/// Bump allocator for a message's protobuf-c representation: the C structs, pointer arrays and
/// NUL-terminated strings of one encode, and everything protobuf-c allocates in one decode
/// (``unpack(_:_:_:)``, as its `ProtobufCAllocator`).
///
/// Memory comes in chunks: a first chunk of about 1 KiB (a typical event needs less), then chunks of
/// growing size. Structs and arrays are placed from a chunk's front (8-byte aligned), string
/// bytes from its back. Nothing is allocated per field and nothing moves, so the pointers handed
/// to protobuf-c stay valid until the arena goes (`release()` or the end of its owner); every
/// chunk is freed then, at once.
struct WireArena: ~Copyable {
    /// Current chunk; its first word links to the previous chunk.
    private var chunk: UnsafeMutableRawPointer
    private var chunkSize: Int
    private var front: Int
    private var back: Int

    private static let headerSize = 16
    static let firstChunkSize = 1000  // served from glibc's per-thread cache (<= 1032)

    /// An arena whose first chunk has room for about `firstChunk` bytes.
    init(firstChunk: Int = WireArena.firstChunkSize) {
        let size = (max(firstChunk, 64) &+ 7) & ~7
        chunk = Self.allocateChunk(size, previous: nil)
        chunkSize = size
        front = Self.headerSize
        back = size
    }

    /// Frees every chunk (also done when the arena goes out of scope).
    consuming func release() {}

    deinit {
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

    /// Uninitialized room for `size` bytes, 8-byte aligned (protobuf-c's `alloc` during unpack).
    @inline(__always)
    mutating func raw(_ size: Int) -> UnsafeMutableRawPointer {
        takeFront((size &+ 7) & ~7)
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

extension WireArena {
    /// The first chunk for unpacking `bytes` wire bytes: C structs are larger than their encoding
    /// (a 303-byte referral unpacks into about 1 KiB), so about 3 bytes per byte plus the root
    /// struct, at most 64 KiB (a larger message grows the arena as it needs).
    static func unpackChunkSize(forWireBytes bytes: Int) -> Int {
        min(bytes &* 3 &+ 512, 64 * 1024)
    }

    /// Unpacks `bytes` with `unpack` (a protoc-c `…__unpack`) into this arena, enforcing
    /// `WireLimits`: every allocation protobuf-c makes comes from the arena, and freeing is left to
    /// the arena (the result must not be passed to `…__free_unpacked`).
    @inline(__always)
    mutating func unpack<T>(
        _ bytes: UnsafeRawBufferPointer, _ protoName: String,
        _ unpack: (UnsafeMutablePointer<ProtobufCAllocator>?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<T>?
    ) throws(WireError) -> UnsafeMutablePointer<T> {
        let limit = WireLimits.maxMessageBytes
        guard bytes.count <= limit else {
            throw WireError(.tooLarge, "\(protoName): \(bytes.count) bytes exceed the limit of \(limit)")
        }
        let message = withUnsafeMutablePointer(to: &self) { arena in
            var allocator = ProtobufCAllocator(alloc: wireArenaAlloc, free: wireArenaFree, allocator_data: UnsafeMutableRawPointer(arena))
            return unpack(&allocator, bytes.count, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self))
        }
        guard let message else {
            throw WireError(.truncatedOrInvalid, "\(protoName): \(bytes.count) bytes are not a valid encoding")
        }
        return message
    }
}

/// protobuf-c's `alloc` on a ``WireArena`` (`allocator_data` points to it).
private func wireArenaAlloc(_ data: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
    data.unsafelyUnwrapped.assumingMemoryBound(to: WireArena.self).pointee.raw(size)
}

/// protobuf-c's `free` on a ``WireArena``: nothing, the arena frees its chunks at once.
private func wireArenaFree(_ data: UnsafeMutableRawPointer?, _ pointer: UnsafeMutableRawPointer?) {}
