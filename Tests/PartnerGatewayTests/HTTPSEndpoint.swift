import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import TransitTestSupport

/// The headers of every request an ``withHTTPSEndpoint(certificate:certificates:_:)`` answered.
final class SeenRequests: Sendable {
    let requests = Mutex<[[String: String]]>([])
}

/// A partner's webhook endpoint for the poster's tests: Hummingbird with TLS on 127.0.0.1, serving
/// `certificate` (signed by one of `certificates`' CAs) and answering 200 to a POST to `/hooks`,
/// recording the headers it saw. Runs `body` with the endpoint's URL.
func withHTTPSEndpoint(
    certificate: String, certificates: TestCertificates, _ body: (URL, SeenRequests) async throws -> Void
) async throws {
    var logger = Logger(label: "webhook-endpoint")
    logger.logLevel = .warning
    let seen = SeenRequests()
    let router = Router()
    router.post("/hooks") { request, _ -> HTTPResponse.Status in
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        seen.requests.withLock { $0.append(headers) }
        return .ok
    }
    let tls = TLSConfiguration.makeServerConfiguration(
        certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
        privateKey: .privateKey(try NIOSSLPrivateKey(file: certificates.serverKey, format: .pem)))
    let port = AsyncStream<Int>.makeStream()
    let app = Application(
        router: router, server: try .tls(.http1(), tlsConfiguration: tls),
        configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: nil),
        onServerRunning: { channel in port.continuation.yield(channel.localAddress?.port ?? 0) },
        logger: logger)
    let group = ServiceGroup(services: [app], logger: logger)
    let running = Task { try await group.run() }
    defer { running.cancel() }
    var ports = port.stream.makeAsyncIterator()
    let bound = try #require(await ports.next(), "the HTTPS endpoint did not start")
    try #require(bound != 0, "the HTTPS endpoint has no port")
    try await body(URL(string: "https://127.0.0.1:\(bound)/hooks")!, seen)
    await group.triggerGracefulShutdown()
    try await running.value
}
