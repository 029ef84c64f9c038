import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TransitTime

/// One POST of a command to a partner, as the attempt loop sees it.
public struct WebhookRequest: Sendable, Equatable {
    public var deliveryID: String
    /// The command as proto3 JSON, exactly the bytes that are signed.
    public var body: [UInt8]
    /// 1-based attempt number.
    public var attempt: Int

    public init(deliveryID: String, body: [UInt8], attempt: Int) {
        self.deliveryID = deliveryID
        self.body = body
        self.attempt = attempt
    }
}

/// What the partner's endpoint answered.
public enum PostOutcome: Sendable, Equatable {
    /// 2xx: the partner has the command.
    case delivered(status: Int)
    /// 4xx other than 408 and 429: the partner refuses this request (bad signature, body it does
    /// not take); retrying the same command would be refused again, so it is dead-lettered at once.
    case refused(status: Int)
    /// No answer, a time-out, 408, 429 or 5xx: retried with backoff.
    case failed(reason: String)
}

/// POSTs signed commands over HTTPS (Foundation's URLSession, libcurl underneath; no extra package).
public final class WebhookPoster: Sendable {
    private let session: URLSession
    private let clock: any WallClock

    /// `timeout`: how long one attempt may take before it counts as failed.
    public init(timeout: Duration = .seconds(10), clock: any WallClock = .system) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = Double(timeout.components.seconds)
        configuration.timeoutIntervalForResource = Double(timeout.components.seconds)
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration)
        self.clock = clock
    }

    /// Signs `request` now and POSTs it to the partner's URL.
    public func post(_ request: WebhookRequest, to partner: WebhookPartner) async -> PostOutcome {
        let timestamp = clock.nowMilliseconds() / 1000
        var http = URLRequest(url: partner.url)
        http.httpMethod = "POST"
        http.httpBody = Data(request.body)
        http.setValue("application/json", forHTTPHeaderField: "Content-Type")
        http.setValue(partner.signer.keyID, forHTTPHeaderField: WebhookHeaders.keyID)
        http.setValue(String(timestamp), forHTTPHeaderField: WebhookHeaders.timestamp)
        http.setValue(partner.signer.signature(timestamp: timestamp, body: request.body), forHTTPHeaderField: WebhookHeaders.signature)
        http.setValue(request.deliveryID, forHTTPHeaderField: WebhookHeaders.deliveryID)
        http.setValue(String(request.attempt), forHTTPHeaderField: WebhookHeaders.attempt)
        do {
            let (_, response) = try await session.data(for: http)
            guard let status = (response as? HTTPURLResponse)?.statusCode else { return .failed(reason: "no HTTP answer") }
            return Self.outcome(status: status)
        } catch {
            return .failed(reason: "no answer (\((error as NSError).localizedDescription))")
        }
    }

    /// The outcome an HTTP status stands for.
    public static func outcome(status: Int) -> PostOutcome {
        switch status {
        case 200..<300: .delivered(status: status)
        case 408, 429: .failed(reason: "HTTP \(status)")
        case 400..<500: .refused(status: status)
        default: .failed(reason: "HTTP \(status)")
        }
    }
}
