import Foundation
import TransitDemo
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

/// The soak's `partition` fault: one worker runs in a network namespace of its own
/// (``NetworkPartition``) whose link to the broker the fault cuts for a while and restores; its
/// store (PostgreSQL's port, or the SQLite file) stays reachable.
enum SoakPartition {
    /// Namespaces are named this prefix and the soak's pid, so a later run removes those of a
    /// killed one (``NetworkPartition/removeStale(prefix:)``).
    static let prefix = "ttsoak"

    /// Throws, in one line, why this machine cannot partition a worker (not root, no `ip` or `socat`).
    static func checkAvailable() throws { _ = try NetworkPartition.tools() }

    /// The namespace for the run in `directory`: the broker's port is cut by the fault, a local
    /// PostgreSQL store's port never is.
    static func start(directory: String, brokers: String, store: String) async throws -> NetworkPartition {
        await NetworkPartition.removeStale(prefix: prefix)
        guard brokers.hasPrefix("127.0.0.1:"), let brokerPort = Int(brokers.dropFirst("127.0.0.1:".count)) else {
            throw SoakError("the partition fault needs the soak's own broker at 127.0.0.1:PORT, not \(brokers)")
        }
        var kept: [Int] = []
        if store.hasPrefix("postgres") {
            guard let url = URLComponents(string: store), ["127.0.0.1", "localhost"].contains(url.host ?? ""), let port = url.port else {
                throw SoakError("the partition fault needs PostgreSQL on 127.0.0.1 (the namespaced worker reaches it through a forwarder)")
            }
            kept.append(port)
        }
        return try await NetworkPartition.start(
            name: prefix + String(getpid()), directory: directory + "/partition", cuttablePorts: [brokerPort], keptPorts: kept)
    }

    /// Cuts `partition` for `length`, then restores it (also when the wait is cancelled).
    static func cut(_ partition: NetworkPartition, for length: Duration) async throws {
        try await partition.cut()
        do {
            try await Task.sleep(for: length)
        } catch {
            try? await partition.reconnect()
            throw error
        }
        try await partition.reconnect()
    }
}

/// SIGINT and SIGTERM end a soak the way a failure does: `cleanup` stops the workers, the
/// partition's namespace and forwarders and the services, then the soak exits with status 130.
enum SoakInterruption {
    static func handle(cleanup: @escaping @Sendable () async -> Void) async -> Task<Void, Never> {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        return Task {
            for await signal in signals {
                print("soak: \(signal) received; stopping workers, the partition namespace and the services")
                await cleanup()
                exit(130)
            }
        }
    }
}
