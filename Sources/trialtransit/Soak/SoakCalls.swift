import Logging
import Synchronization
import TransitKafka
import TransitRPC
import TransitWire

/// An RPC call a journey makes: `RequestTrialAccess` with an idempotency key, made `times` times
/// with that key, as a client does that retries after a lost reply; every call must get the first
/// answer back and the referral must be decided once.
struct SoakCall: Sendable {
    var patientRef: String
    var idempotencyKey: String
    var request: RequestTrialAccessRequest
    var times: Int
    /// The worker's id for the call's command (`rpc:<Method>:<key>`): its outputs' ids start with it.
    var commandID: String { "rpc:RequestTrialAccess:\(idempotencyKey)" }
}

/// Makes the journeys' calls through one RPC client, replaced by a new one after a call fails
/// (a restarted local broker can leave a producer failing for good); a call without an answer is
/// made again with the same key. Keeps the bytes of every answer per command id.
final class SoakCaller: Sendable {
    private struct Client: Sendable {
        var rpc: RPCClient
        var reader: Task<Void, any Error>
    }
    private let client: KafkaClientConfiguration
    private let topics: TransitTopics
    private let clientID: String
    private let logger: Logger
    private let current: Mutex<Client>
    private let retired = Mutex<[Client]>([])
    private let kept = Mutex<[String: [[UInt8]]]>([:])

    init(client: KafkaClientConfiguration, topics: TransitTopics, clientID: String, logger: Logger) throws {
        self.client = client
        self.topics = topics
        self.clientID = clientID
        self.logger = logger
        current = Mutex(try Self.start(client, topics, clientID, logger))
    }

    private static func start(
        _ client: KafkaClientConfiguration, _ topics: TransitTopics, _ clientID: String, _ logger: Logger
    ) throws -> Client {
        let rpc = try RPCClient(client: client, clientID: clientID, topics: topics, logger: logger)
        return Client(rpc: rpc, reader: Task { try await rpc.run() })
    }

    /// Every answer so far, per command id (an unanswered call leaves an empty list).
    var answers: [String: [[UInt8]]] { kept.withLock { $0 } }

    /// Makes `call` its number of times, each until answered (up to 60 attempts, a second apart).
    func make(_ call: SoakCall) async throws {
        kept.withLock { $0[call.commandID, default: []] = $0[call.commandID] ?? [] }
        for _ in 0..<call.times {
            for attempt in 1...60 {
                let rpc = current.withLock { $0.rpc }
                do {
                    let response = try await rpc.call(
                        TrialAccessService.requestTrialAccess, call.request, key: call.patientRef,
                        deadline: .seconds(15), idempotencyKey: call.idempotencyKey)
                    kept.withLock { $0[call.commandID, default: []].append(response.wireBytes()) }
                    break
                } catch let error as RPCError where error.code != .deadlineExceeded && error.code != .unavailable {
                    // A status from the service is its answer (e.g. FAILED_PRECONDITION); keep it.
                    kept.withLock { $0[call.commandID, default: []].append(Array("status \(error.code.rawValue)".utf8)) }
                    break
                } catch where attempt < 60 {
                    try replace(rpc)
                    try await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    /// Starts a new client unless another call did already.
    private func replace(_ failed: RPCClient) throws {
        let fresh = try Self.start(client, topics, clientID, logger)
        let old = current.withLock { current -> Client? in
            guard current.rpc === failed else { return nil }
            defer { current = fresh }
            return current
        }
        if let old {
            retired.withLock { $0.append(old) }
        } else {
            fresh.reader.cancel()
        }
    }

    func close() async {
        for client in retired.withLock({ $0 }) + [current.withLock { $0 }] {
            client.reader.cancel()
            try? await client.rpc.close()
        }
    }
}
