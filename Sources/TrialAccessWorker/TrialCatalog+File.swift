import Foundation
import TransitRuntime
import TransitWire
import TrialAccess

/// The start-up catalogue file (`--catalog`): a `trialtransit.v1.TrialCatalogFile` in proto3 JSON,
/// read by the generated decoder that also reads `trial.catalog.v1`, so a file accepts what the
/// topic accepts (proto field names or lowerCamelCase names, enum names or numbers; docs/WIRE.md §8).
extension TrialCatalog {
    /// Parses, maps and validates a catalogue document. Throws ``CatalogError/malformedJSON(_:)``
    /// naming the field of the first shape error, or ``CatalogError/invalid(_:)`` listing every rule broken.
    public static func load(protoJSON text: some Collection<UInt8>) throws(CatalogError) -> TrialCatalog {
        let file: TrialCatalogFile
        do {
            file = try TrialCatalogFile(jsonUTF8: text)
        } catch {
            throw .malformedJSON(error.message)
        }
        var trials: [TrialAccess.TrialDefinition] = []
        for (index, definition) in file.trials.enumerated() {
            do {
                trials.append(try definition.domain())
            } catch {
                throw .malformedJSON("trials[\(index)].\(error.description)")
            }
        }
        return try TrialCatalog(trials: trials)
    }

    /// Reads the catalogue file at `path`; errors name the file.
    public static func load(file path: String) throws(CatalogFileError) -> TrialCatalog {
        try StartupFileError.read("catalogue file", path: path) { data throws(CatalogError) in try load(protoJSON: data) }
    }

    /// The catalogue as a file document (trials sorted by id), loadable by ``load(protoJSON:)``.
    public func protoJSON() -> String {
        var file = TrialCatalogFile()
        file.trials = trials.map(\.wire)
        return file.jsonString()
    }
}

/// A catalogue file that cannot be used: its path and what is wrong (one line).
public typealias CatalogFileError = StartupFileError
