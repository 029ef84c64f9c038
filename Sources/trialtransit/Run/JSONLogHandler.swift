import Foundation
import Logging
import TransitWire

/// Writes each record as one JSON object on standard error (JSON lines):
/// `{"time":"…","level":"info","label":"…","message":"…","metadata":{…},"source":"…"}`.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider

    init(label: String) { self.label = label }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var members: [(String, String)] = [
            ("time", JSONText.quoted(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date()))),
            ("level", JSONText.quoted(event.level.rawValue)),
            ("label", JSONText.quoted(label)),
            ("message", JSONText.quoted(event.message.description)),
        ]
        if !merged.isEmpty { members.append(("metadata", Self.json(.dictionary(merged)))) }
        members.append(("source", JSONText.quoted(event.source)))
        FileHandle.standardError.write(Data((JSONText.object(members) + "\n").utf8))
    }

    private static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): JSONText.quoted(text)
        case .stringConvertible(let value): JSONText.quoted(value.description)
        case .array(let items): "[" + items.map(json).joined(separator: ",") + "]"
        case .dictionary(let members): JSONText.object(members.sorted { $0.key < $1.key }.map { ($0.key, json($0.value)) })
        }
    }
}
