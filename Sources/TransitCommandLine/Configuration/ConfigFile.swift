import Foundation
import Yams

/// A configuration file (`--config FILE`, `TRIALTRANSIT_CONFIG`): YAML whose keys are the long
/// options of the commands without dashes (`http-port: 8080`). A nested mapping is the same as
/// joined keys (`sasl: {mechanism: PLAIN}` is `sasl-mechanism: PLAIN`); a list gives a repeatable
/// option several values, or any other option its items joined by commas (`brokers: [a:9092, b:9092]`).
public struct ConfigFile: Sendable {
    /// The file as it was named.
    public let path: String
    /// Keys in file order with their values (one for a scalar, several for a list).
    public let entries: [(key: String, values: [String])]

    /// Reads and flattens the file; `option` (`--config` or `TRIALTRANSIT_CONFIG`) is named in errors.
    public init(path: String, option: String) throws(ConfigurationError) {
        self.path = path
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file"
            throw ConfigurationError("\(option) \(path): \(reason)")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError("\(option) \(path): not YAML: \(Self.oneLine(error))")
        }
        guard let root else {
            entries = []
            return
        }
        guard case .mapping(let mapping) = root else {
            throw ConfigurationError("\(option) \(path): expected a mapping of option names to values")
        }
        var entries: [(key: String, values: [String])] = []
        try Self.flatten(mapping, prefix: "", into: &entries, file: "\(option) \(path)")
        self.entries = entries
    }

    /// The values of `key`, if the file sets it.
    public subscript(key: String) -> [String]? { entries.first { $0.key == key }?.values }

    private static func flatten(
        _ mapping: Node.Mapping, prefix: String, into entries: inout [(key: String, values: [String])], file: String
    ) throws(ConfigurationError) {
        for (keyNode, value) in mapping {
            guard let name = keyNode.string, !name.isEmpty else {
                throw ConfigurationError("\(file): a key is not a name (line \(keyNode.mark?.line ?? 0))")
            }
            let key = prefix.isEmpty ? name : prefix + "-" + name
            switch value {
            case .mapping(let nested):
                try flatten(nested, prefix: key, into: &entries, file: file)
            case .sequence(let items):
                var values: [String] = []
                for item in items {
                    guard let text = item.string else {
                        throw ConfigurationError("\(file): key '\(key)': list items must be plain values")
                    }
                    values.append(text)
                }
                entries.append((key, values))
            case .scalar(let scalar):
                // `key:` with nothing after it (null) leaves the option unset.
                if scalar.string.isEmpty || (scalar.style == .plain && ["~", "null"].contains(scalar.string)) { continue }
                entries.append((key, [scalar.string]))
            case .alias:
                throw ConfigurationError("\(file): key '\(key)': YAML aliases are not supported")
            }
        }
    }

    private static func oneLine(_ error: any Error) -> String {
        guard let yaml = error as? YamlError else { return "\(error)" }
        switch yaml {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return "line \(mark.line): \(problem)"
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicate keys \(duplicates.joined(separator: ", "))"
        default:
            return String(describing: yaml).split(separator: "\n").first.map(String.init) ?? "unreadable"
        }
    }
}

/// A configuration that cannot be used, printed as one `Error:` line (no usage text).
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }
}
