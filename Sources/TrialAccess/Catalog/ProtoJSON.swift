import Foundation

/// Decoding helpers for the catalogue file, which follows the proto3 JSON mapping of
/// `TrialDefinition`: lowerCamelCase keys, enum value names, int64 as a number or a decimal
/// string, and fields at their default (0, "", false, []) allowed to be absent.
extension KeyedDecodingContainer {
    /// A value that may be absent or null.
    func optional<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decode(type, forKey: key)
    }

    /// An int64 given as a JSON number or a decimal string (proto3 JSON writes strings).
    func optionalInt64(_ key: Key) throws -> Int64? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let number = try? decode(Int64.self, forKey: key) { return number }
        let text = try decode(String.self, forKey: key)
        guard let number = Int64(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "not an integer: \"\(text)\"")
        }
        return number
    }
}

/// Decodes a string enum and names the accepted values when the string is unknown.
func decodeNamedEnum<E: RawRepresentable & CaseIterable>(_ type: E.Type, from decoder: any Decoder) throws -> E
where E.RawValue == String {
    let container = try decoder.singleValueContainer()
    let raw = try container.decode(String.self)
    guard let value = E(rawValue: raw) else {
        let accepted = E.allCases.map(\.rawValue).joined(separator: ", ")
        throw DecodingError.dataCorruptedError(
            in: container, debugDescription: "unknown value \"\(raw)\"; expected one of \(accepted)")
    }
    return value
}

extension DecodingError {
    /// "trials[2].sites[0].siteId: missing" style text with the JSON path.
    var readableDescription: String {
        func path(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text.isEmpty ? "(top level)" : text
        }
        switch self {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing"
        case .valueNotFound(_, let context):
            return "\(path(context.codingPath)): null where a value is required"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type)"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return String(describing: self)
        }
    }
}
