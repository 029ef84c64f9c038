internal import CTransitProto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Conversions between protobuf-c's C representation and Swift values, used by generated code.
enum WireC {
    /// Unpacks `bytes` with `unpack` (a protoc-c `…__unpack`) into a temporary ``WireArena``
    /// and returns what `body` makes of the message; the C memory is freed before returning.
    @inline(__always)
    static func withUnpacked<T, R>(
        _ bytes: UnsafeRawBufferPointer, _ protoName: String,
        _ unpack: (UnsafeMutablePointer<ProtobufCAllocator>?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<T>?,
        _ body: (UnsafePointer<T>) -> R
    ) throws(WireError) -> R {
        var arena = WireArena(firstChunk: WireArena.unpackChunkSize(forWireBytes: bytes.count))
        let message = try arena.unpack(bytes, protoName, unpack)
        let result = body(message)
        arena.release()
        return result
    }

    /// A NUL-terminated C string as a Swift string; invalid UTF-8 is replaced, NULL is "".
    @inline(__always)
    static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer, pointer.pointee != 0 else { return "" }
        let count = strlen(pointer)
        let source = UnsafeRawPointer(pointer)
        guard count <= 15 else {
            return String(decoding: UnsafeRawBufferPointer(start: source, count: count), as: UTF8.self)
        }
        // A small string: written in place with two word copies and checked for ASCII in one go,
        // instead of String(cString:)'s byte loop (measured: a few ns per field).
        return String(unsafeUninitializedCapacity: count) { buffer in
            copy(from: source, to: UnsafeMutableRawPointer(buffer.baseAddress.unsafelyUnwrapped), count: count)
            return count
        }
    }

    /// memcpy, with the short sizes of typical field values done inline: overlapping word copies
    /// that never touch memory outside the `count` bytes.
    @inline(__always)
    static func copy(from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count: Int) {
        if count >= 8 && count <= 16 {
            let head = source.loadUnaligned(as: UInt64.self)
            let tail = source.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            target.storeBytes(of: head, as: UInt64.self)
            target.storeBytes(of: tail, toByteOffset: count &- 8, as: UInt64.self)
        } else if count >= 4 && count < 8 {
            let head = source.loadUnaligned(as: UInt32.self)
            let tail = source.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
            target.storeBytes(of: head, as: UInt32.self)
            target.storeBytes(of: tail, toByteOffset: count &- 4, as: UInt32.self)
        } else if count < 4 {
            for i in 0..<count {
                target.storeBytes(of: source.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self)
            }
        } else {
            target.copyMemory(from: source, byteCount: count)
        }
    }

    @inline(__always)
    static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        string(UnsafePointer(pointer))
    }

    /// protobuf-c bytes as a Swift array.
    @inline(__always)
    static func bytes(_ data: ProtobufCBinaryData) -> [UInt8] {
        guard data.len > 0, let base = data.data else { return [] }
        return Array(UnsafeBufferPointer(start: base, count: data.len))
    }

    /// A pointer-and-count pair of a repeated field as a buffer (empty when NULL).
    @inline(__always)
    static func buffer<T>(_ base: UnsafeMutablePointer<T>?, _ count: Int) -> UnsafeBufferPointer<T> {
        guard count > 0, let base else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base, count: count)
    }
}

extension WireC {
    /// A protobuf-c enum field as a Swift enum value; unknown numbers are kept.
    @inline(__always)
    static func enumValue<C: RawRepresentable, E: WireEnum>(_ value: C) -> E where C.RawValue: FixedWidthInteger {
        E(rawValue: Int32(truncatingIfNeeded: value.rawValue))
    }

    /// A Swift enum value as a protobuf-c enum field.
    @inline(__always)
    static func cEnum<C: RawRepresentable, E: WireEnum>(_ value: E) -> C where C.RawValue: FixedWidthInteger {
        C(rawValue: C.RawValue(truncatingIfNeeded: value.rawValue)).unsafelyUnwrapped
    }
}

extension WireC {
    /// Field numbers protobuf-c kept as unknown fields of `message`, in wire order.
    static func unknownFieldNumbers(_ message: ProtobufCMessage) -> [UInt32] {
        buffer(message.unknown_fields, Int(message.n_unknown_fields)).map(\.tag)
    }
}
