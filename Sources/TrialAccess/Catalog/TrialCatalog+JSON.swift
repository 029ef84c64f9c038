import Foundation

/// The catalogue file: `{"trials": [TrialDefinition, ...]}` with each definition in the proto3
/// JSON mapping of `trialtransit.v1.TrialDefinition` (see docs/TRIAL_ACCESS.md).
private struct CatalogFile: Codable {
    var trials: [TrialDefinition]
}

extension TrialCatalog {
    /// Parses and validates a catalogue file. Throws ``CatalogError/malformedJSON(_:)`` naming the
    /// JSON path of the first shape error, or ``CatalogError/invalid(_:)`` listing every rule broken.
    public static func load(json: Data) throws(CatalogError) -> TrialCatalog {
        let file: CatalogFile
        do {
            file = try JSONDecoder().decode(CatalogFile.self, from: json)
        } catch let error as DecodingError {
            throw .malformedJSON(error.readableDescription)
        } catch {
            throw .malformedJSON(String(describing: error))
        }
        return try TrialCatalog(trials: file.trials)
    }

    /// The catalogue in the file format (trials sorted by id, keys sorted), loadable by ``load(json:)``.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(CatalogFile(trials: trials))
    }
}
