/// Why a partner configuration could not be loaded. Messages name the partner and field at fault;
/// the file loader (TransportWorker's `PartnerFileError`) puts the file's path in front.
public enum PartnerDirectoryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes are not JSON of the expected shape; the detail names the message and field, e.g.
    /// `trialtransit.v1.PartnerFileEntry.priority: expected an integer, got a string`.
    case malformed(String)
    /// `version` is missing or not supported.
    case unsupportedVersion(Int?)
    /// The file lists no partner.
    case noPartners
    /// A required field is missing.
    case missingField(partner: String, field: String)
    /// A field has a value out of its range.
    case invalidValue(partner: String, field: String, detail: String)
    /// Two partners share an id.
    case duplicateID(String)

    public var description: String {
        switch self {
        case .malformed(let detail):
            "malformed: \(detail)"
        case .unsupportedVersion(let version):
            "version \(version.map(String.init) ?? "missing") is not supported"
                + " (expected \(PartnerDirectory.fileVersion))"
        case .noPartners:
            "no partner is listed"
        case .missingField(let partner, let field):
            "partner \(partner): missing \(field)"
        case .invalidValue(let partner, let field, let detail):
            "partner \(partner): \(field) \(detail)"
        case .duplicateID(let id):
            "partner id \(id) appears more than once"
        }
    }
}
