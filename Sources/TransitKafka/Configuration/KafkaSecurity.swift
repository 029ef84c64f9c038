/// Transport security towards the brokers: TLS, SASL, both, or neither.
public struct KafkaSecurity: Sendable {
    /// TLS settings; `nil` means no TLS.
    public var tls: TLS?
    /// SASL settings; `nil` means no SASL.
    public var sasl: SASL?

    /// No TLS, no SASL (the default; for local development and private networks only).
    public static let plaintext = KafkaSecurity(tls: nil, sasl: nil)

    public init(tls: TLS? = nil, sasl: SASL? = nil) {
        self.tls = tls
        self.sasl = sasl
    }

    /// TLS towards the brokers.
    public struct TLS: Sendable {
        /// PEM file of the CAs that sign the broker certificates. Default: the system store.
        public var caLocation: String?
        /// PEM client certificate for mutual TLS. Default: none.
        public var certificateLocation: String?
        /// PEM private key of the client certificate. Default: none.
        public var keyLocation: String?
        /// Check that the broker's certificate names the host we connect to. Default: true.
        public var verifyHostname: Bool

        public init(
            caLocation: String? = nil, certificateLocation: String? = nil, keyLocation: String? = nil,
            verifyHostname: Bool = true
        ) {
            self.caLocation = caLocation
            self.certificateLocation = certificateLocation
            self.keyLocation = keyLocation
            self.verifyHostname = verifyHostname
        }
    }

    /// SASL authentication.
    public struct SASL: Sendable {
        /// A SASL mechanism; growable set of values.
        public struct Mechanism: Hashable, Sendable {
            public let rawValue: String
            public init(_ rawValue: String) { self.rawValue = rawValue }
            public static let plain = Mechanism("PLAIN")
            public static let scramSHA256 = Mechanism("SCRAM-SHA-256")
            public static let scramSHA512 = Mechanism("SCRAM-SHA-512")
        }
        /// The mechanism. Default: SCRAM-SHA-512.
        public var mechanism: Mechanism
        /// User name.
        public var username: String
        /// Password; never logged.
        public var password: String

        public init(mechanism: Mechanism = .scramSHA512, username: String, password: String) {
            self.mechanism = mechanism
            self.username = username
            self.password = password
        }
    }

    var properties: [String: String] {
        var properties: [String: String] = [:]
        switch (tls != nil, sasl != nil) {
        case (false, false): properties["security.protocol"] = "plaintext"
        case (true, false): properties["security.protocol"] = "ssl"
        case (false, true): properties["security.protocol"] = "sasl_plaintext"
        case (true, true): properties["security.protocol"] = "sasl_ssl"
        }
        if let tls {
            if let ca = tls.caLocation { properties["ssl.ca.location"] = ca }
            if let cert = tls.certificateLocation { properties["ssl.certificate.location"] = cert }
            if let key = tls.keyLocation { properties["ssl.key.location"] = key }
            properties["ssl.endpoint.identification.algorithm"] = tls.verifyHostname ? "https" : "none"
        }
        if let sasl {
            properties["sasl.mechanisms"] = sasl.mechanism.rawValue
            properties["sasl.username"] = sasl.username
            properties["sasl.password"] = sasl.password
        }
        return properties
    }
}
