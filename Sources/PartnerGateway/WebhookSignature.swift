import Crypto
import Foundation

/// The HTTP headers of a signed webhook request, in both directions (docs/PARTNERS.md §6).
public enum WebhookHeaders {
    /// Which key signed the request (the partner file's `webhook.key_id`).
    public static let keyID = "X-TrialTransit-Key-Id"
    /// Unix seconds when the request was signed; outside the replay window it is refused.
    public static let timestamp = "X-TrialTransit-Timestamp"
    /// `v1=` and the lowercase hex HMAC-SHA-256 of `timestamp + "." + body`.
    public static let signature = "X-TrialTransit-Signature"
    /// One id per command, the same on every retry: the partner dedupes on it.
    public static let deliveryID = "X-TrialTransit-Delivery-Id"
    /// 1 on the first try, then 2, 3, ... (information only; not signed).
    public static let attempt = "X-TrialTransit-Attempt"
}

/// Why a signed request was refused: a stable code and a short reason (never the secret or the body).
public struct SignatureRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// `MISSING_HEADER`, `UNKNOWN_KEY`, `BAD_TIMESTAMP`, `STALE_TIMESTAMP` or `BAD_SIGNATURE`.
    public var code: String
    public var reason: String

    public var description: String { "\(code): \(reason)" }
}

/// HMAC-SHA-256 signing and verification of webhook requests with one partner's shared secret.
///
/// The signed text is the timestamp (unix seconds, decimal), a dot and the exact body bytes, so a
/// signature cannot be moved to another body or replayed outside the window.
public struct WebhookSigner: Sendable {
    /// The key id sent with (and expected on) every request.
    public let keyID: String
    private let secret: [UInt8]

    public init(keyID: String, secret: [UInt8]) {
        self.keyID = keyID
        self.secret = secret
    }

    private var key: SymmetricKey { SymmetricKey(data: secret) }

    /// The `X-TrialTransit-Signature` value for `body` signed at `timestamp` (unix seconds).
    public func signature(timestamp: Int64, body: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Self.signedBytes(timestamp: timestamp, body: body), using: key)
        return "v1=" + code.map { String(format: "%02x", $0) }.joined()
    }

    /// Checks the headers of a request against `body`: key id, timestamp within `window` of
    /// `nowSeconds` (either side), and the signature (compared in constant time).
    public func verify(
        keyID: String?, timestamp: String?, signature: String?, body: [UInt8], nowSeconds: Int64, window: Duration
    ) -> SignatureRefusal? {
        guard let keyID, let timestamp, let signature else {
            return SignatureRefusal(
                code: "MISSING_HEADER",
                reason: "\(WebhookHeaders.keyID), \(WebhookHeaders.timestamp) and \(WebhookHeaders.signature) are required")
        }
        guard keyID == self.keyID else { return SignatureRefusal(code: "UNKNOWN_KEY", reason: "key id is not this partner's") }
        guard let seconds = Int64(timestamp) else {
            return SignatureRefusal(code: "BAD_TIMESTAMP", reason: "\(WebhookHeaders.timestamp) must be unix seconds")
        }
        guard abs(nowSeconds - seconds) <= window.components.seconds else {
            return SignatureRefusal(
                code: "STALE_TIMESTAMP", reason: "timestamp is more than \(window.components.seconds) s from the gateway's clock")
        }
        guard signature.hasPrefix("v1="), let code = Self.bytes(hex: signature.dropFirst(3)), code.count == 32,
            HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: Self.signedBytes(timestamp: seconds, body: body), using: key)
        else {
            return SignatureRefusal(code: "BAD_SIGNATURE", reason: "signature does not match the body and timestamp")
        }
        return nil
    }

    private static func signedBytes(timestamp: Int64, body: [UInt8]) -> [UInt8] {
        Array("\(timestamp).".utf8) + body
    }

    private static func bytes(hex: Substring) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        return result
    }
}
