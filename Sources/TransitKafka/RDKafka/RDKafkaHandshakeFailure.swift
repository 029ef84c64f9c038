/// Why a TLS or SASL handshake with a broker failed, in one sentence.
///
/// `isRefusal` marks failures that trying again cannot fix (a certificate refused by either side,
/// SASL credentials refused, a broker that does not speak TLS): consumers stop on them
/// (``KafkaError/Code/authentication``) instead of retrying for ever. A connection that merely
/// broke during a handshake is not a refusal.
struct RDKafkaHandshakeFailure: Sendable {
    var text: String
    var isRefusal: Bool
    /// Whether librdkafka's `FAIL` log line `text` is about TLS or SASL rather than the network.
    static func isHandshakeFailure(_ text: String) -> Bool {
        ["SSL handshake failed", "SSL routines::", "SASL authentication", "incorrect security.protocol"].contains(where: text.contains)
    }

    /// The failure librdkafka's error or log text `text` (`… ssl://HOST:PORT/ID: SSL handshake failed: …`) tells of.
    static func summary(_ text: String) -> RDKafkaHandshakeFailure {
        let broker = brokerAddress(in: text) ?? "?"
        let lowered = text.lowercased()
        if lowered.contains("incorrect security.protocol") {
            return RDKafkaHandshakeFailure(
                text: "broker \(broker) closed the connection at the first request: it may expect TLS (give the TLS CA) or SASL",
                isRefusal: false)
        }
        if lowered.contains("sasl authentication error") || lowered.contains("authentication failed") {
            return RDKafkaHandshakeFailure(
                text: "SASL authentication with broker \(broker) failed (user name, password or mechanism)", isRefusal: true)
        }
        let refusals = ["alert certificate required", "alert bad certificate", "alert unknown ca", "alert handshake failure"]
        if refusals.contains(where: lowered.contains) {
            return RDKafkaHandshakeFailure(
                text: "TLS to broker \(broker) failed: the broker refused our client certificate (none given, or not one it trusts)",
                isRefusal: true)
        }
        if lowered.contains("wrong version number") || lowered.contains("packet length too long") {
            return RDKafkaHandshakeFailure(
                text: "TLS to broker \(broker) failed: the broker does not speak TLS on that port", isRefusal: true)
        }
        return RDKafkaHandshakeFailure(text: "TLS or SASL with broker \(broker) failed: \(text)", isRefusal: false)
    }

    /// `HOST:PORT` of the broker that librdkafka's text `text` is about: its `[thrd:…]` tag, else its
    /// first `scheme://HOST:PORT/…`, else its leading `HOST:PORT/…`.
    static func brokerAddress(in text: String) -> String? {
        var rest = Substring(text)
        if let thread = rest.firstRange(of: "thrd:") {
            rest = rest[thread.upperBound...]
        } else if let scheme = rest.firstRange(of: "://"), let start = rest[..<scheme.lowerBound].lastIndex(of: " ") {
            rest = rest[rest.index(after: start)...]
        }
        if let scheme = rest.firstRange(of: "://"), !rest[..<scheme.lowerBound].contains(" ") { rest = rest[scheme.upperBound...] }
        let address = rest.prefix { $0 != "/" && $0 != " " && $0 != "]" }
        return address.contains(":") ? String(address) : nil
    }
}
