internal import CLibPQ

/// A statement parameter, sent in PostgreSQL's binary format (no escaping, no text parsing).
enum PostgresValue {
    case text(String)
    case int8(Int64)
    case bytea([UInt8])
    case textArray([String])
    case int8Array([Int64])
    /// Elements may be NULL.
    case byteaArray([[UInt8]?])

    enum TypeOID {
        static let bytea: Oid = 17
        static let int8: Oid = 20
        static let text: Oid = 25
        static let byteaArray: Oid = 1001
        static let textArray: Oid = 1009
        static let int8Array: Oid = 1016
    }

    /// Appends the binary representation to `buffer`.
    func encode(into buffer: inout [UInt8]) {
        switch self {
        case .text(let value): buffer.append(contentsOf: value.utf8)
        case .int8(let value): buffer.appendBigEndian(value)
        case .bytea(let value): buffer.append(contentsOf: value)
        case .textArray(let values):
            Self.encodeArray(element: TypeOID.text, count: values.count, hasNulls: false, into: &buffer) { index, buffer in
                buffer.appendLengthPrefixed(values[index].utf8)
            }
        case .int8Array(let values):
            Self.encodeArray(element: TypeOID.int8, count: values.count, hasNulls: false, into: &buffer) { index, buffer in
                buffer.appendBigEndian(Int32(8))
                buffer.appendBigEndian(values[index])
            }
        case .byteaArray(let values):
            let hasNulls = values.contains { $0 == nil }
            Self.encodeArray(element: TypeOID.bytea, count: values.count, hasNulls: hasNulls, into: &buffer) {
                index, buffer in
                if let value = values[index] { buffer.appendLengthPrefixed(value) } else { buffer.appendBigEndian(Int32(-1)) }
            }
        }
    }

    /// PostgreSQL's `array_send` layout for one dimension: ndim, has-nulls flag, element type,
    /// then size and lower bound of the dimension, then each element as length (-1 for NULL) and bytes.
    private static func encodeArray(
        element: Oid, count: Int, hasNulls: Bool, into buffer: inout [UInt8],
        _ encodeElement: (Int, inout [UInt8]) -> Void
    ) {
        buffer.appendBigEndian(Int32(count == 0 ? 0 : 1))
        buffer.appendBigEndian(Int32(hasNulls ? 1 : 0))
        buffer.appendBigEndian(element)
        guard count > 0 else { return }
        buffer.appendBigEndian(Int32(count))
        buffer.appendBigEndian(Int32(1))
        for index in 0..<count { encodeElement(index, &buffer) }
    }
}

extension [UInt8] {
    fileprivate mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    fileprivate mutating func appendLengthPrefixed<C: Collection<UInt8>>(_ bytes: C) {
        appendBigEndian(Int32(bytes.count))
        append(contentsOf: bytes)
    }
}
