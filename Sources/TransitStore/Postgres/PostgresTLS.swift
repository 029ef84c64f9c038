/// TLS towards PostgreSQL, passed to libpq as the connection parameters `sslmode` and `sslrootcert`
/// (libpq's own names and meanings; a URL may also carry them itself).
public struct PostgresTLS: Sendable, Equatable {
    /// libpq's `sslmode`: `disable`, `allow`, `prefer` (libpq's default), `require`, `verify-ca` or
    /// `verify-full` (certificate and host name checked: use it across untrusted networks).
    public var mode: String?
    /// libpq's `sslrootcert`: PEM file of the CAs that sign the server certificate. Default: libpq's
    /// (`~/.postgresql/root.crt`).
    public var rootCertificate: String?

    public static let modes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    public init(mode: String? = nil, rootCertificate: String? = nil) {
        self.mode = mode
        self.rootCertificate = rootCertificate
    }

    /// `url` (a `postgres://` or `postgresql://` URL) with these parameters added to its query.
    /// Throws ``StoreError/Code/other`` for an unknown mode or a parameter the URL already sets.
    public func applied(to url: String) throws -> String {
        var parameters: [(String, String)] = []
        if let mode {
            guard Self.modes.contains(mode) else {
                throw StoreError(code: .other, message: "sslmode must be one of \(Self.modes.joined(separator: ", ")), not '\(mode)'")
            }
            parameters.append(("sslmode", mode))
        }
        if let rootCertificate { parameters.append(("sslrootcert", rootCertificate)) }
        guard !parameters.isEmpty else { return url }
        let query = url.firstIndex(of: "?").map { url[url.index(after: $0)...] } ?? ""
        let present = Set(query.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "" })
        for (name, _) in parameters where present.contains(name) {
            throw StoreError(code: .other, message: "the store URL already sets \(name); set it in one place")
        }
        let added = parameters.map { "\($0)=\(Self.percentEncoded($1))" }.joined(separator: "&")
        return url + (url.contains("?") ? "&" : "?") + added
    }

    /// `value` with every byte outside the URL's unreserved set (and `/`) percent-encoded.
    static func percentEncoded(_ value: String) -> String {
        var text = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                text.append(Character(Unicode.Scalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF")
                text += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return text
    }
}
