/// A wire message that cannot become a domain command or value: a required field is missing or an
/// enum value is unspecified or unknown. Names the field, never a value (so it can go into
/// `dlq-error` and `rpc-message`).
struct WireMappingError: Error, Sendable, CustomStringConvertible {
    /// Proto field path, e.g. `visit_scheduled.visit`.
    var field: String
    var problem: String

    static func missing(_ field: String) -> WireMappingError { WireMappingError(field: field, problem: "is missing") }
    static func unspecified(_ field: String) -> WireMappingError {
        WireMappingError(field: field, problem: "is unspecified or an unknown value")
    }

    var description: String { "\(field) \(problem)" }
}

extension String {
    /// nil for "" (proto3: an empty string means "not given").
    var givenOrNil: String? { isEmpty ? nil : self }
}
