import Foundation
import TransitWire

/// A partner that receives its commands as webhook POSTs: the partner file's `webhook` section.
public struct WebhookPartner: Sendable {
    /// Partner id, as in the partner file; names its topics.
    public var id: String
    /// Where commands are POSTed: `https://…`; `http://` to a loopback host only when the gateway
    /// was told to allow it (`--allow-plain-http-webhooks`: tests, a local TLS-originating proxy).
    public var url: URL
    /// Signs what goes out and verifies what comes in with the partner's shared secret.
    public var signer: WebhookSigner

    public init(id: String, url: URL, signer: WebhookSigner) {
        self.id = id
        self.url = url
        self.signer = signer
    }
}

/// Why the partner file's webhook sections could not be read: which partner and field, and why.
public struct WebhookPartnerFileError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Reads the webhook partners from a partner file (docs/TRANSPORT.md §8): every entry with a
/// `webhook` object `{"url", "key_id", "secret_file"}`. Entries without one are Kafka partners and
/// are left alone; the rest of each entry is the transport worker's business. A plain `http://` url
/// is refused unless `allowPlainHTTP` (and then only to a loopback host).
public enum WebhookPartnerFile {
    public static func load(contentsOf file: URL, allowPlainHTTP: Bool = false) throws(WebhookPartnerFileError) -> [WebhookPartner] {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw WebhookPartnerFileError(description: "cannot read the partner file \(file.path)")
        }
        // The workers' own reader of the file (the generated proto3 JSON): one way to read it.
        let document: PartnerFile
        do { document = try PartnerFile(jsonUTF8: Array(data)) } catch {
            throw WebhookPartnerFileError(description: "\(file.path) is not a partner file: \(error)")
        }
        var partners: [WebhookPartner] = []
        for entry in document.partners {
            guard let webhook = entry.webhook else { continue }
            partners.append(
                try webhook.partner(id: entry.id, relativeTo: file.deletingLastPathComponent(), allowPlainHTTP: allowPlainHTTP))
        }
        return partners
    }

    /// True for a URL the gateway may POST to: https anywhere; http to a loopback host only, and
    /// only with `allowPlainHTTP`.
    public static func isAllowed(_ url: URL, allowPlainHTTP: Bool = false) -> Bool {
        switch url.scheme?.lowercased() {
        case "https": return url.host?.isEmpty == false
        case "http": return allowPlainHTTP && ["localhost", "127.0.0.1", "::1", "[::1]"].contains(url.host ?? "")
        default: return false
        }
    }

}

extension PartnerFileWebhook {
    fileprivate func partner(id: String, relativeTo folder: URL, allowPlainHTTP: Bool) throws(WebhookPartnerFileError) -> WebhookPartner {
        func fail(_ field: String, _ why: String) -> WebhookPartnerFileError {
            WebhookPartnerFileError(description: "partner \(id): webhook.\(field) \(why)")
        }
        guard !url.isEmpty, let url = URL(string: url) else { throw fail("url", "is missing or not a URL") }
        guard WebhookPartnerFile.isAllowed(url, allowPlainHTTP: allowPlainHTTP) else {
            throw fail(
                "url", allowPlainHTTP ? "must be https:// (http:// only to a loopback host)"
                    : "must be https:// (http:// to a loopback host needs --allow-plain-http-webhooks)")
        }
        guard !keyId.isEmpty else { throw fail("key_id", "is missing") }
        guard !secretFile.isEmpty else { throw fail("secret_file", "is missing") }
        let path = secretFile.hasPrefix("/") ? URL(fileURLWithPath: secretFile) : folder.appendingPathComponent(secretFile)
        guard let contents = try? Data(contentsOf: path) else { throw fail("secret_file", "cannot be read") }
        // One trailing newline (as `echo` writes) is not part of the secret.
        var secret = Array(contents)
        while let last = secret.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { secret.removeLast() }
        guard secret.count >= 32 else { throw fail("secret_file", "must hold at least 32 bytes") }
        return WebhookPartner(id: id, url: url, signer: WebhookSigner(keyID: keyId, secret: secret))
    }
}
