/// Connection URLs and libpq connection strings with their passwords masked, for every log line,
/// start-up line and error that shows where a store is.
public enum PostgresURLRedaction {
    /// The mask put in place of a password.
    public static let mask = "***"

    /// `location` with the password of `scheme://user:password@host` and every `password=` parameter
    /// (URL query or `key=value` connection string) replaced by ``mask``; anything else unchanged.
    public static func redacted(_ location: String) -> String {
        var text = location
        if let scheme = text.firstRange(of: "://") {
            let authorityEnd = text[scheme.upperBound...].firstIndex { "/?#".contains($0) } ?? text.endIndex
            if let at = text[scheme.upperBound..<authorityEnd].lastIndex(of: "@"),
                let colon = text[scheme.upperBound..<at].firstIndex(of: ":")
            {
                text.replaceSubrange(text.index(after: colon)..<at, with: mask)
            }
        }
        return maskingPasswordParameters(text)
    }

    /// Replaces the value after each `password=` that starts a parameter (after `?`, `&`, a space or
    /// at the start), up to the next `&`, space or end.
    private static func maskingPasswordParameters(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let match = rest.firstRange(of: "password=") {
            let before = rest[..<match.lowerBound]
            let startsParameter = before.isEmpty || "?& ".contains(before.last!)
            result += rest[..<match.upperBound]
            rest = rest[match.upperBound...]
            guard startsParameter else { continue }
            let end = rest.firstIndex { $0 == "&" || $0 == " " } ?? rest.endIndex
            result += mask
            rest = rest[end...]
        }
        return result + rest
    }
}
