import Foundation
import TransitWire

/// The one stored form of a worker's aggregates: a TransitWire message of package
/// `trialtransit.store.v1` (protobuf binary), mapped to and from the domain value by the worker.
///
/// Rows written before that format hold JSON of the domain's `Codable` value (keys sorted); they
/// are read, never written: the next save of the aggregate rewrites its row as protobuf. A
/// protobuf encoding never starts with `{` (0x7B would open a group, field 15, which proto3 has
/// not), so the first byte tells the two apart (docs/STORES.md).
public enum StoredState {
    /// Encodes the aggregate's message.
    public static func encode(_ message: some WireMessage) -> [UInt8] { message.wireBytes() }

    /// Decodes a stored row: the message mapped by `domain`, or an old JSON row by `Codable`.
    /// Throws ``StoredStateError`` (naming the type only, never a stored value) when neither reads.
    public static func decode<Message: WireMessage, Value: Decodable>(
        _ bytes: [UInt8], as message: Message.Type, _ domain: (Message) throws -> Value
    ) throws -> Value {
        do {
            if isLegacyJSON(bytes) { return try JSONDecoder().decode(Value.self, from: Data(bytes)) }
            return try domain(try Message(wireBytes: bytes))
        } catch {
            // Decoding errors can quote stored values: report the type only.
            throw StoredStateError(type: String(describing: Value.self))
        }
    }

    /// Whether `bytes` are a row of the old JSON format.
    public static func isLegacyJSON(_ bytes: [UInt8]) -> Bool { bytes.first == UInt8(ascii: "{") }
}

/// A stored value that does not decode (a bug or a foreign writer): the batch is retried, never
/// skipped.
public struct StoredStateError: Error, CustomStringConvertible {
    /// The domain type that was to be read.
    public let type: String

    public init(type: String) {
        self.type = type
    }

    public var description: String { "stored \(type) does not decode" }
}

/// A stored field the domain value cannot hold (an unknown enum number, a missing required
/// message); ``StoredState/decode(_:as:_:)`` reports it as ``StoredStateError``.
public struct UnreadableStoredValue: Error {
    public init() {}
}

extension Optional {
    /// The value, or ``UnreadableStoredValue`` (for mapping stored messages to domain values).
    public func orUnreadable() throws -> Wrapped {
        guard let self else { throw UnreadableStoredValue() }
        return self
    }
}
