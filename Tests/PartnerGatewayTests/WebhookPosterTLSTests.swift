import Foundation
import PartnerGateway
import Testing
import TransitRuntime
import TransitTestSupport

/// WebhookPoster against a real HTTPS endpoint (Hummingbird with TLS on 127.0.0.1) whose
/// certificate a throwaway CA signs (`openssl`, TestCertificates): trusted through the CA file it is
/// delivered; any certificate the poster does not trust is a failed attempt (retried), never a
/// refusal or a crash.
@Suite(.serialized) struct WebhookPosterTLSTests {
    static let secret = Array(String(repeating: "k", count: 40).utf8)

    func withPoster(trusting caFile: String?, _ body: (WebhookPoster) async throws -> Void) async throws {
        // A ceiling, not a wait: a refusal ends an attempt at once, and under a full parallel run an
        // answer from the local endpoint took more than 5 s (a CI run with a busy core).
        let poster = try WebhookPoster(timeout: .seconds(60), trustedCAFile: caFile)
        do { try await body(poster) } catch {
            await poster.shutdown()
            throw error
        }
        await poster.shutdown()
    }

    func request(attempt: Int = 1) -> WebhookRequest {
        WebhookRequest(deliveryID: "dlv-tls", body: Array(#"{"rideOffer":{}}"#.utf8), attempt: attempt)
    }

    @Test func aCertificateFromTheTrustedCAIsDeliveredSigned() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        try await withHTTPSEndpoint(certificate: certificates.server, certificates: certificates) { url, seen in
            try await withPoster(trusting: certificates.ca) { poster in
                let partner = WebhookPartner(id: "wh-tls", url: url, signer: WebhookSigner(keyID: "k1", secret: Self.secret))
                let outcome = await poster.post(request(), to: partner)
                #expect(outcome == .delivered(status: 200))
                let headers = seen.requests.withLock { $0 }
                #expect(headers.count == 1)
                #expect(headers.first?[WebhookHeaders.deliveryID.lowercased()] == "dlv-tls")
                #expect(headers.first?[WebhookHeaders.signature.lowercased()]?.hasPrefix("v1=") == true)
            }
        }
    }

    @Test func anUntrustedOrMisnamedCertificateIsAFailedAttemptRetriedUntilTheBudgetEnds() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        // Another CA than the one that signed the endpoint's certificate; none (the system's CAs only);
        // the right CA but a certificate for another host name.
        let cases: [(certificate: String, trusted: String?)] = [
            (certificates.server, certificates.otherCA), (certificates.server, nil), (certificates.wrongHost, certificates.ca),
        ]
        for (certificate, trusted) in cases {
            try await withHTTPSEndpoint(certificate: certificate, certificates: certificates) { url, seen in
                try await withPoster(trusting: trusted) { poster in
                    let partner = WebhookPartner(id: "wh-tls", url: url, signer: WebhookSigner(keyID: "k1", secret: Self.secret))
                    let clock = ManualClock()
                    let policy = DeliveryRetryPolicy(
                        backoff: Backoff(initial: .seconds(1), maximum: .seconds(1), jitter: 0), maxAttempts: 3, budget: .seconds(60))
                    var retries: [String] = []
                    let result = try await DeliveryAttempts(policy: policy, clock: clock).deliver(
                        deliveryID: "dlv-tls", body: [1], post: { await poster.post($0, to: partner) },
                        sleep: { clock.advance(by: $0) }, onRetry: { _, reason, _ in retries.append(reason) })
                    guard case .deadLettered(let code, _) = result.outcome else {
                        Issue.record("delivered with an untrusted certificate (\(certificate), trusting \(trusted ?? "the system"))")
                        return
                    }
                    #expect(code == "WEBHOOK_RETRIES_EXHAUSTED")
                    #expect(result.attempts == 3)
                    #expect(retries.count == 2 && retries.allSatisfy { $0.hasPrefix("no answer") }, "\(retries)")
                    #expect(seen.requests.withLock { $0.isEmpty }, "the endpoint saw a request")
                }
            }
        }
    }

    @Test func aCAFileWithoutCertificatesStopsTheStart() throws {
        let file = NSTemporaryDirectory() + uniqueName("not-a-ca") + ".pem"
        try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(throws: WebhookTrustError.self) { _ = try WebhookPoster(trustedCAFile: file) }
        #expect(throws: WebhookTrustError.self) { _ = try WebhookPoster(trustedCAFile: file + ".missing") }
    }
}
