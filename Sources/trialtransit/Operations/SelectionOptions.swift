import ArgumentParser

/// `--filter FIELD=VALUE` (repeatable) and `--key K`: which records a replay or redrive takes.
struct SelectionOptions: ParsableArguments {
    @Option(
        name: .customLong("filter"), parsing: .singleValue,
        help: ArgumentHelp(
            "Only records whose decoded message has FIELD=VALUE (dotted JSON path, e.g. patientReferred.conditionCode=C34.1, "
                + "body=visitCancelled). Repeat to require several.",
            valueName: "field=value"))
    var filters: [String] = []

    @Option(help: "Only records with this key.")
    var key: String?

    /// The selection, with every filter path checked against the schema of `typeName`; `source`
    /// names what is read, for the error when no type is known.
    func selection(typeName: String?, source: String, hint: String = "pass --type") throws -> RecordSelection {
        guard !filters.isEmpty else { return RecordSelection(key: key, filters: []) }
        guard let typeName else {
            throw OperationError("cannot filter \(source) on fields: no message type is known for its records (\(hint))")
        }
        return RecordSelection(key: key, filters: try filters.map { try FieldFilter(parsing: $0, typeName: typeName) })
    }
}

/// `--rate N/s`.
enum RateArgument {
    static func perSecond(_ text: String?) throws -> Double? {
        guard let text else { return nil }
        let number = text.hasSuffix("/s") ? String(text.dropLast(2)) : text
        guard let value = Double(number), value > 0, value.isFinite else {
            throw OperationError("--rate: cannot read '\(text)': expected messages per second such as 500/s")
        }
        return value
    }
}
