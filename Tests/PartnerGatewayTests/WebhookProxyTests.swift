import Foundation
import PartnerGateway
import Testing
import TransitRuntime
import TransitTestSupport

/// The gateway's egress proxy (`--webhook-proxy`): the setting's parsing, and WebhookPoster
/// through a real HTTP proxy (tinyproxy) to a real HTTPS endpoint. Through a proxy every POST is a
/// `CONNECT` tunnel (the partner's certificate still checked end to end) and none goes out directly:
/// a proxy that is down, refuses the port or wants credentials it was not given is a failed
/// attempt, and the endpoint sees nothing.
@Suite(.serialized) struct WebhookProxyTests {
    static let secret = Array(String(repeating: "k", count: 40).utf8)

    @Test func theSettingIsHTTPHostAndPortWithOptionalCredentialsThatNeverShow() throws {
        let plain = try WebhookProxy("http://egress.internal:3128")
        #expect(plain.host == "egress.internal" && plain.port == 3128 && plain.credentials == nil)
        #expect(plain.description == "http://egress.internal:3128")

        let withCredentials = try WebhookProxy("http://gw%40site:s3cr%3At@10.0.0.5:8080/")
        #expect(withCredentials.credentials?.user == "gw@site" && withCredentials.credentials?.password == "s3cr:t")
        #expect(withCredentials.description == "http://10.0.0.5:8080")
        let ipv6 = try WebhookProxy("http://[::1]:3128")
        #expect(ipv6.host == "::1" && ipv6.description == "http://[::1]:3128")

        let refused: [(String, String)] = [
            ("https://egress.internal:3128", "must be http://"), ("egress.internal:3128", "must be http://"),
            ("http://egress.internal", "needs a port"), ("http://egress.internal:0", "needs a port"),
            ("http://:3128", "no host"), ("http://egress.internal:3128/path", "without a path"),
            ("http://user@egress.internal:3128", "user:password"), ("http://:pw@egress.internal:3128", "user:password"),
        ]
        for (text, reason) in refused {
            do {
                _ = try WebhookProxy(text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.description.contains(reason), "\(text): \(error.description)")
                #expect(!error.description.contains("pw"), "the message repeats a credential: \(error.description)")
            }
        }
    }

    @Test func postsAreTunnelledThroughTheProxyWithTheirCredentials() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        for credentials in [nil, ("gateway", "proxy-pass")] as [(String, String)?] {
            let proxy = try await EgressProxy.start(user: credentials?.0, password: credentials?.1)
            do {
                try await withHTTPSEndpoint(certificate: certificates.server, certificates: certificates) { url, seen in
                    let setting = credentials.map { "http://\($0.0):\($0.1)@127.0.0.1:\(proxy.port)" } ?? proxy.url
                    let outcome = try await post(to: url, proxy: try WebhookProxy(setting), trusting: certificates.ca)
                    #expect(outcome == .delivered(status: 200), "proxy log:\n\(proxy.log())")
                    #expect(proxy.connectTargets() == ["127.0.0.1:\(url.port ?? 0)"], "proxy log:\n\(proxy.log())")
                    #expect(seen.requests.withLock { $0.count } == 1)
                    // The proxy's credentials go to the proxy only, never to the partner.
                    #expect(seen.requests.withLock { $0.first?["proxy-authorization"] } == nil)
                }
            } catch {
                await proxy.stop()
                throw error
            }
            await proxy.stop()
        }
    }

    @Test func aProxyThatIsDownRefusesThePortOrWantsCredentialsIsAFailedAttemptAndNothingGoesDirect() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        let refusingPort = try await EgressProxy.start(connectPorts: [443])
        let wantsCredentials: EgressProxy
        do { wantsCredentials = try await EgressProxy.start(user: "gateway", password: "proxy-pass") } catch {
            await refusingPort.stop()
            throw error
        }
        func stopBoth() async {
            await refusingPort.stop()
            await wantsCredentials.stop()
        }
        do { try await checkRefusals(refusingPort: refusingPort, wantsCredentials: wantsCredentials, certificates: certificates) } catch {
            await stopBoth()
            throw error
        }
        await stopBoth()
    }

    private func checkRefusals(refusingPort: EgressProxy, wantsCredentials: EgressProxy, certificates: TestCertificates) async throws {
        try await withHTTPSEndpoint(certificate: certificates.server, certificates: certificates) { url, seen in
            let down = try WebhookProxy("http://127.0.0.1:\(try freeTCPPort())")
            for proxy in [down, try WebhookProxy(refusingPort.url), try WebhookProxy(wantsCredentials.url)] {
                let outcome = try await post(to: url, proxy: proxy, trusting: certificates.ca)
                guard case .failed(let reason) = outcome else {
                    Issue.record("through \(proxy): \(outcome)")
                    continue
                }
                #expect(reason.hasPrefix("no answer"), "\(reason)")
            }
            #expect(seen.requests.withLock { $0.isEmpty }, "a POST reached the partner without the proxy")
            #expect(refusingPort.connectTargets() == ["127.0.0.1:\(url.port ?? 0)"], "\(refusingPort.log())")
            #expect(wantsCredentials.connectTargets() == ["127.0.0.1:\(url.port ?? 0)"], "\(wantsCredentials.log())")
        }
    }

    private func post(to url: URL, proxy: WebhookProxy, trusting caFile: String) async throws -> PostOutcome {
        // A ceiling, not a wait (as in WebhookPosterTLSTests): every refusal here ends the attempt at once.
        let poster = try WebhookPoster(timeout: .seconds(60), trustedCAFile: caFile, proxy: proxy)
        let partner = WebhookPartner(id: "wh-proxy", url: url, signer: WebhookSigner(keyID: "k1", secret: Self.secret))
        let outcome = await poster.post(WebhookRequest(deliveryID: "dlv-proxy", body: Array(#"{"rideOffer":{}}"#.utf8), attempt: 1), to: partner)
        await poster.shutdown()
        return outcome
    }
}
