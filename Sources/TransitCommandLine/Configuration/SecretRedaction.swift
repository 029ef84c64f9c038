/// Keeps secrets out of logged configuration: values of options whose names say they are secret
/// are masked, and `user:password@` is cut out of URLs (`postgres://app:pw@db/x` logs as
/// `postgres://…@db/x`).
public enum SecretRedaction {
    /// Words in an option name that mark its value as a secret.
    public static let secretWords = ["password", "secret", "token", "credential"]

    /// Whether option `name` holds a secret.
    public static func isSecret(_ name: String) -> Bool {
        secretWords.contains { name.lowercased().contains($0) }
    }

    /// `value` as it may be logged for option `option`.
    public static func redact(_ value: String, option: String) -> String {
        if isSecret(option) { return value.isEmpty ? "" : "***" }
        guard let scheme = value.range(of: "://") else { return value }
        let rest = value[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return value }
        return String(value[..<scheme.upperBound]) + "…" + String(rest[at...])
    }
}
