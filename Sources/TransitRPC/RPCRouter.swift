import TransitKafka
import TransitWire

/// Where answered idempotency keys are kept, so a retried request gets the first answer again.
/// The runtime keeps them in the worker's store transaction; ``InMemoryIdempotencyCache`` serves
/// stateless servers.
public protocol RPCIdempotencyStore {
    /// The stored answer for `key` of `method`, if any.
    mutating func answer(method: String, key: String) throws -> RPCStoredAnswer?
    /// Remembers the answer for `key` of `method`.
    mutating func remember(method: String, key: String, answer: RPCStoredAnswer) throws
}

/// An answer kept for an idempotency key.
public struct RPCStoredAnswer: Sendable, Hashable, Codable {
    public var status: Int32
    public var message: String?
    public var body: [UInt8]
    /// SHA-256 of the request body the answer belongs to; nil for answers stored before keys
    /// were bound to requests (they match no request).
    public var requestDigest: [UInt8]?

    public init(status: Int32, message: String?, body: [UInt8], requestDigest: [UInt8]? = nil) {
        self.status = status
        self.message = message
        self.body = body
        self.requestDigest = requestDigest
    }
}

/// The idempotency rules of docs/CONTRACT.md §4 and §6: keys are scoped by method and bound to the
/// SHA-256 of the request body.
public enum RPCIdempotency {
    /// Longest `idempotency-key`, in UTF-8 bytes (128 ASCII characters).
    public static let maxKeyLength = 128
    /// `rpc-message` of INVALID_ARGUMENT for a longer key.
    public static let keyTooLong = "idempotency-key is longer than 128 characters"
    /// `rpc-message` of INVALID_ARGUMENT for a key already used with another request to the method.
    public static let keyReused = "idempotency-key was already used for a different request to this method"

    /// The digest an answer is bound to: SHA-256 of the request body.
    public static func digest(of body: some Collection<UInt8>) -> [UInt8] {
        RequestDigest.sha256(body)
    }
}

/// Context a handler sees besides the request message.
public struct RPCContext: Sendable {
    public var method: String
    public var correlationID: String
    public var key: String?
    public var traceparent: String?
    /// Reception time used for the deadline check, unix ms.
    public var now: Int64
}

/// Server-side dispatch: decodes the request, checks the deadline, runs the handler registered for
/// the method, encodes the response, and maps errors to gRPC status codes. Idempotent methods keep
/// answers under (method, key), bound to the request's digest (``RPCIdempotency``). Synchronous,
/// so it can run inside a store transaction together with the handler's state changes:
/// `Environment` is what each call gets besides the request (e.g. the worker's transaction);
/// `Void` for stateless services.
public struct RPCRouter<Environment>: Sendable {
    typealias Handler = @Sendable (ArraySlice<UInt8>, RPCContext, Environment) throws -> [UInt8]

    private var handlers: [String: Handler] = [:]
    /// Methods whose answers are remembered under their idempotency key (state-changing ones).
    private var idempotent: Set<String> = []

    public init() {}

    /// The gRPC paths this router serves.
    public var methods: [String] { handlers.keys.sorted() }

    /// Full names of the services with at least one registered method.
    public var services: Set<String> {
        Set(handlers.keys.compactMap { path in path.split(separator: "/").first.map(String.init) })
    }

    /// Registers the handler of `method`. Handlers throw ``RPCError`` to choose a status; any other
    /// error becomes INTERNAL. `idempotent: true` remembers answers under the request's idempotency key.
    public mutating func register<Request: WireMessage, Response: WireMessage>(
        _ method: WireMethod<Request, Response>, idempotent: Bool = false,
        _ handler: @escaping @Sendable (Request, RPCContext, Environment) throws -> Response
    ) {
        handlers[method.path] = { body, context, environment in
            let request: Request
            do {
                request = try body.withUnsafeBytes { try Request(wireBytes: $0) }
            } catch {
                throw RPCError.invalidArgument("request body does not decode as \(Request.protoName): \(error)")
            }
            return try handler(request, context, environment).wireBytes()
        }
        if idempotent { self.idempotent.insert(method.path) }
    }

    /// Answers `request`. Never throws: every failure becomes a status on the reply.
    /// `internalFailure` is set when a handler failed unexpectedly (the caller dead-letters the request);
    /// `reply` is nil when the handler decided another process answers (``RPCNoAnswer``).
    public func route(
        _ request: RPCRequest, now: Int64, idempotency: inout some RPCIdempotencyStore, environment: Environment
    ) -> (reply: RPCReply?, internalFailure: String?) {
        let started = ContinuousClock.now
        let answer = dispatch(request, now: now, idempotency: &idempotency, environment: environment)
        RPCMetrics.served(
            method: handlers[request.method] == nil ? nil : request.method, status: answer.reply?.status,
            took: ContinuousClock.now - started)
        return answer
    }

    private func dispatch(
        _ request: RPCRequest, now: Int64, idempotency: inout some RPCIdempotencyStore, environment: Environment
    ) -> (reply: RPCReply?, internalFailure: String?) {
        func reply(_ status: RPCStatusCode, _ message: String?, _ body: [UInt8] = []) -> RPCReply {
            RPCReply(
                replyTo: request.replyTo, correlationID: request.correlationID, status: status, message: message,
                // The caller adds the reply's traceparent (``TracePropagation``), from its span.
                body: body, traceparent: nil)
        }
        if let deadline = request.deadline, now > deadline {
            return (reply(.deadlineExceeded, "request picked up \(now - deadline) ms after its deadline"), nil)
        }
        guard let handler = handlers[request.method] else {
            return (reply(.unimplemented, "method \(request.method.isEmpty ? "(none)" : request.method) is not served here"), nil)
        }
        if let key = request.idempotencyKey, key.utf8.count > RPCIdempotency.maxKeyLength {
            return (reply(.invalidArgument, RPCIdempotency.keyTooLong), nil)
        }
        let remembers = idempotent.contains(request.method) && request.idempotencyKey != nil
        let digest = remembers ? RPCIdempotency.digest(of: request.body) : []
        if remembers, let key = request.idempotencyKey {
            do {
                if let stored = try idempotency.answer(method: request.method, key: key) {
                    // Another request under a used key: refused, runs nothing, reveals nothing.
                    guard stored.requestDigest == digest else {
                        return (reply(.invalidArgument, RPCIdempotency.keyReused), nil)
                    }
                    return (reply(RPCStatusCode(rawValue: stored.status), stored.message, stored.body), nil)
                }
            } catch {
                return (reply(.unavailable, "idempotency store unavailable"), nil)
            }
        }
        let context = RPCContext(
            method: request.method, correlationID: request.correlationID, key: request.key,
            traceparent: request.traceparent, now: now)
        let answer: RPCReply
        var failure: String?
        do {
            answer = reply(.ok, nil, try handler(request.body, context, environment))
        } catch let error as RPCError {
            answer = reply(error.code, error.message)
        } catch is RPCNoAnswer {
            return (nil, nil)
        } catch {
            failure = "\(type(of: error))"
            answer = reply(.internalError, "internal error; the request was dead-lettered")
        }
        if remembers, let key = request.idempotencyKey, answer.status != .unavailable {
            try? idempotency.remember(
                method: request.method, key: key,
                answer: RPCStoredAnswer(
                    status: answer.status.rawValue, message: answer.message, body: answer.body, requestDigest: digest))
        }
        return (answer, failure)
    }
}

extension RPCRouter where Environment == Void {
    /// Registers a handler that needs nothing but the request.
    public mutating func register<Request: WireMessage, Response: WireMessage>(
        _ method: WireMethod<Request, Response>, idempotent: Bool = false,
        _ handler: @escaping @Sendable (Request, RPCContext) throws -> Response
    ) {
        register(method, idempotent: idempotent) { request, context, _ in try handler(request, context) }
    }

    /// Answers `request` (see ``route(_:now:idempotency:environment:)``).
    public func route(
        _ request: RPCRequest, now: Int64, idempotency: inout some RPCIdempotencyStore
    ) -> (reply: RPCReply?, internalFailure: String?) {
        route(request, now: now, idempotency: &idempotency, environment: ())
    }
}

/// A bounded in-memory ``RPCIdempotencyStore`` (oldest keys are forgotten first).
public struct InMemoryIdempotencyCache: RPCIdempotencyStore, Sendable {
    private var answers: [String: RPCStoredAnswer] = [:]
    private var order: [String] = []
    private let capacity: Int

    public init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    public mutating func answer(method: String, key: String) -> RPCStoredAnswer? {
        answers[method + "\u{0}" + key]
    }

    public mutating func remember(method: String, key: String, answer: RPCStoredAnswer) {
        let composite = method + "\u{0}" + key
        if answers.updateValue(answer, forKey: composite) == nil { order.append(composite) }
        if order.count > capacity {
            let overflow = order.count - capacity
            for old in order.prefix(overflow) { answers[old] = nil }
            order.removeFirst(overflow)
        }
    }
}

/// Thrown by a handler when this process must not answer (another process serves the request).
public struct RPCNoAnswer: Error, Sendable {
    public init() {}
}
