import Foundation

/// The soak's own broker (and, for `--store postgres`, its own PostgreSQL), managed through
/// `scripts/broker` and `scripts/postgres` on data directories of the run, so faults can restart them.
struct SoakServices: Sendable {
    let scripts: String
    let directory: String
    let brokers: String
    /// The PostgreSQL data directory `scripts/postgres` manages, when the soak may restart it.
    let postgresDataDirectory: String?

    var brokerDataDirectory: String { directory + "/broker" }
    var scriptLog: String { directory + "/scripts.log" }

    static func startBroker(scripts: String, directory: String) async throws -> String {
        try await runScript(scripts + "/broker", ["start", "--data-dir", directory + "/broker"], logPath: directory + "/scripts.log")
    }

    static func startPostgres(scripts: String, dataDirectory: String, log: String) async throws -> String {
        try await runScript(scripts + "/postgres", ["start", "--data-dir", dataDirectory], logPath: log)
    }

    /// Graceful broker stop (it saves its topics) and start on the same data directory and port.
    func restartBroker() async throws {
        _ = try await runScript(scripts + "/broker", ["stop", "--data-dir", brokerDataDirectory], logPath: scriptLog)
        _ = try await runScript(scripts + "/broker", ["start", "--data-dir", brokerDataDirectory], logPath: scriptLog)
    }

    /// PostgreSQL down for `downtime`, then up again on the same port.
    func restartPostgres(downtime: Duration) async throws {
        guard let data = postgresDataDirectory else { throw SoakError("store-restart needs a PostgreSQL the soak manages") }
        _ = try await runScript(scripts + "/postgres", ["stop", "--data-dir", data], logPath: scriptLog)
        try await Task.sleep(for: downtime)
        _ = try await runScript(scripts + "/postgres", ["start", "--data-dir", data], logPath: scriptLog)
    }

    /// Stops what the soak started (an external PostgreSQL given by URL is left alone).
    func stop(ownPostgres: Bool) async {
        _ = try? await runScript(scripts + "/broker", ["stop", "--data-dir", brokerDataDirectory], logPath: scriptLog)
        if ownPostgres, let data = postgresDataDirectory {
            _ = try? await runScript(scripts + "/postgres", ["stop", "--data-dir", data], logPath: scriptLog)
        }
    }
}
