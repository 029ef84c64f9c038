import Foundation

/// The HTTP proxy the gateway's webhook POSTs go out through (an egress proxy): each `https://`
/// webhook is tunnelled with `CONNECT host:port`, so TLS still runs end to end between the gateway
/// and the partner (the proxy sees the partner's host and port, not the request). Given as
/// `http://[user:password@]host:port`; the user and password, when given, go to the proxy as
/// `Proxy-Authorization: Basic` and never into logs (``description``).
public struct WebhookProxy: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// User and password for the proxy (Basic), when it asks for them.
    public var credentials: Credentials?

    /// A proxy user and its password.
    public struct Credentials: Sendable, Equatable {
        public var user: String
        public var password: String
    }

    /// Parses `http://[user:password@]host:port`; throws with what is wrong (the credentials are
    /// never repeated in the message).
    public init(_ text: String) throws(WebhookProxyError) {
        guard let components = URLComponents(string: text), components.scheme?.lowercased() == "http" else {
            throw WebhookProxyError(description: "the webhook proxy must be http://[user:password@]host:port (the tunnel to the partner is TLS)")
        }
        // An IPv6 address comes bracketed ("[::1]"); the connection wants it bare.
        let host = components.host.map { $0.hasPrefix("[") && $0.hasSuffix("]") ? String($0.dropFirst().dropLast()) : $0 }
        guard let host, !host.isEmpty else { throw WebhookProxyError(description: "the webhook proxy has no host") }
        guard let port = components.port, (1...65_535).contains(port) else {
            throw WebhookProxyError(description: "the webhook proxy needs a port between 1 and 65535 (http://\(host):PORT)")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil else {
            throw WebhookProxyError(description: "the webhook proxy is host and port only, without a path or query")
        }
        self.host = host
        self.port = port
        switch (components.user, components.password) {
        case (nil, nil):
            credentials = nil
        case (let user?, let password?) where !user.isEmpty:
            credentials = Credentials(user: user.removingPercentEncoding ?? user, password: password.removingPercentEncoding ?? password)
        default:
            throw WebhookProxyError(description: "the webhook proxy's credentials must be user:password")
        }
    }

    /// `http://host:port`, credentials left out.
    public var description: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }
}

/// Why a webhook proxy setting cannot be used.
public struct WebhookProxyError: Error, Sendable, CustomStringConvertible {
    public var description: String
}
