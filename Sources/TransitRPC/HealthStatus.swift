import Synchronization
import TransitWire

/// The `trialtransit.v1.Health/Check` handler (gRPC health-checking protocol).
///
/// Answers SERVING or NOT_SERVING for the services this process serves and for the empty name
/// (the process as a whole). For a service of the contract that another kind of worker serves it
/// stays silent (that worker answers); for a name that is no TrialTransit service it answers
/// NOT_FOUND.
public final class HealthStatus: Sendable {
    private let state: Mutex<[String: ServingStatus]>

    /// Starts with every one of `services` (and the whole process) NOT_SERVING until ``set(_:)``.
    public init(services: Set<String>) {
        var initial: [String: ServingStatus] = ["": .notServing]
        for service in services { initial[service] = .notServing }
        state = Mutex(initial)
    }

    /// Sets every service's status at once (e.g. SERVING when ready, NOT_SERVING on shutdown).
    public func set(_ status: ServingStatus) {
        state.withLock { states in for key in states.keys { states[key] = status } }
    }

    /// Sets one service's status.
    public func set(_ status: ServingStatus, for service: String) {
        state.withLock { $0[service] = status }
    }

    /// The status of `service`, or nil when this process does not serve it.
    public func status(of service: String) -> ServingStatus? {
        state.withLock { $0[service] }
    }
}

extension RPCRouter where Environment == Void {
    /// Registers `Health/Check` answering from `health`.
    public mutating func registerHealth(_ health: HealthStatus, knownServices: Set<String>) {
        register(HealthService.check) { request, _ in
            if let status = health.status(of: request.service) {
                return HealthCheckResponse(status: status)
            }
            if knownServices.contains(request.service) { throw RPCNoAnswer() }
            throw RPCError.notFound("unknown service \(request.service)")
        }
    }
}
