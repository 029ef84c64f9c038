import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
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

/// Why the CA file given to ``WebhookPoster`` cannot be used.
public struct WebhookTrustError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// POSTs signed commands over HTTPS (AsyncHTTPClient on SwiftNIO and NIOSSL).
///
/// Not Foundation's URLSession: on Linux it goes through libcurl with the system's CA bundle and
/// offers no way to trust another CA (swift-corelibs-foundation reads
/// `URLSessionCertificateAuthorityInfoFile` on Android only), which a partner with a private CA
/// needs. Redirects are not followed (a 3xx is a failed attempt). POSTs go out directly, or through
/// the ``WebhookProxy`` given (never both: with a proxy there is no direct connection), and
/// environment variables such as `https_proxy` are not read. Call ``shutdown()`` once done.
public final class WebhookPoster: Sendable {
    private let client: HTTPClient
    private let timeout: TimeAmount
    private let clock: any WallClock

    /// `timeout`: how long one attempt may take before it counts as failed. `trustedCAFile`: a PEM
    /// file of CA certificates trusted besides the system's (a partner whose certificate a private CA
    /// signs); read now, so a bad file stops the start. `proxy`: the egress proxy every POST is
    /// tunnelled through.
    public init(
        timeout: Duration = .seconds(10), trustedCAFile: String? = nil, proxy: WebhookProxy? = nil, clock: any WallClock = .system
    ) throws(WebhookTrustError) {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let trustedCAFile {
            let certificates: [NIOSSLCertificate]
            do { certificates = try NIOSSLCertificate.fromPEMFile(trustedCAFile) } catch {
                throw WebhookTrustError(description: "cannot read CA certificates (PEM) from \(trustedCAFile): \(error)")
            }
            guard !certificates.isEmpty else { throw WebhookTrustError(description: "\(trustedCAFile) holds no PEM certificate") }
            tls.additionalTrustRoots = [.certificates(certificates)]
        }
        self.timeout = .seconds(Int64(timeout.components.seconds))
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: HTTPClient.Configuration.Timeout(connect: self.timeout, read: self.timeout))
        // A refused connection or a failed handshake fails the attempt at once: the delivery loop
        // retries it with its own backoff, under the next attempt number.
        configuration.connectionPool.retryConnectionEstablishment = false
        if let proxy {
            configuration.proxy = .server(
                host: proxy.host, port: proxy.port,
                authorization: proxy.credentials.map { .basic(username: $0.user, password: $0.password) })
        }
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.clock = clock
    }

    /// Closes the connections. Posting afterwards fails.
    public func shutdown() async {
        try? await client.shutdown()
    }

    /// Signs `request` now and POSTs it to the partner's URL.
    public func post(_ request: WebhookRequest, to partner: WebhookPartner) async -> PostOutcome {
        let timestamp = clock.nowMilliseconds() / 1000
        var http = HTTPClientRequest(url: partner.url.absoluteString)
        http.method = .POST
        http.body = .bytes(ByteBuffer(bytes: request.body))
        http.headers.add(name: "Content-Type", value: "application/json")
        http.headers.add(name: WebhookHeaders.keyID, value: partner.signer.keyID)
        http.headers.add(name: WebhookHeaders.timestamp, value: String(timestamp))
        http.headers.add(name: WebhookHeaders.signature, value: partner.signer.signature(timestamp: timestamp, body: request.body))
        http.headers.add(name: WebhookHeaders.deliveryID, value: request.deliveryID)
        http.headers.add(name: WebhookHeaders.attempt, value: String(request.attempt))
        do {
            let response = try await client.execute(http, timeout: timeout)
            // The answer's body is not used; read (a little of) it so the connection can be reused.
            _ = try? await response.body.collect(upTo: 65_536)
            return Self.outcome(status: Int(response.status.code))
        } catch {
            return .failed(reason: "no answer (\(error))")
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
