import Foundation
import TransitDemo

#if canImport(Glibc)
import Glibc
#endif

/// The soak's child processes: trial-access and transport workers and one partner simulator per
/// partner, all real processes of this binary, each with its own log file.
actor SoakFleet {
    enum Role: String, Sendable, CaseIterable {
        case trialAccess = "trial-access"
        case transport = "transport"
    }

    struct Settings: Sendable {
        var executable: String
        var directory: String
        var brokers: String
        var store: String
        var topicPrefix: String
        var catalog: String
        var partners: String
        var partnerIDs: [String]
        var seed: UInt64
        /// With the `partition` fault: the namespace one worker runs in (``partitionedRole``).
        var partition: NetworkPartition? = nil

        /// The kind of worker that runs in ``partition``, chosen by the seed.
        var partitionedRole: Role { seed % 2 == 0 ? .trialAccess : .transport }
    }

    let settings: Settings
    private var workers: [(role: Role, process: SoakProcess)] = []
    private var simulators: [SoakProcess] = []
    private var retired: [SoakProcess] = []
    private var started = 0
    private var partitioned: SoakProcess?
    /// Set by ``stopAll()``: no process starts after it (a signal can stop the fleet mid-start).
    private var closed = false

    init(settings: Settings) {
        self.settings = settings
    }

    /// Every log file written so far (workers and partner simulators, past and present).
    var logFiles: [(name: String, path: String)] {
        (workers.map { $0.process } + simulators + retired).map { ($0.name, $0.logPath) }
    }

    @discardableResult
    func start(_ role: Role) throws -> SoakProcess {
        guard !closed else { throw SoakError("the soak is stopping: no new \(role.rawValue) worker") }
        started += 1
        let name = "\(role.rawValue)-\(started)"
        var arguments = ["worker", role.rawValue] + common + ["--store", settings.store, "--group", settings.topicPrefix + role.rawValue]
        switch role {
        case .trialAccess: arguments += ["--catalog", settings.catalog]
        case .transport: arguments += ["--partners", settings.partners]
        }
        var command = (executable: settings.executable, arguments: arguments)
        let intoNamespace = settings.partition != nil && role == settings.partitionedRole && partitionedWorker() == nil
        if intoNamespace, let partition = settings.partition { command = partition.command(command.executable, command.arguments) }
        let process = try SoakProcess(
            name: name, executable: command.executable, arguments: command.arguments, logPath: "\(settings.directory)/\(name).log",
            environment: ["TRIALTRANSIT_HTTP_PORT": "0"])
        workers.append((role, process))
        if intoNamespace { partitioned = process }
        return process
    }

    /// The running worker in the partition's namespace (a replacement of a killed one goes there too).
    func partitionedWorker() -> SoakProcess? {
        guard let partitioned, partitioned.exited == nil, workers.contains(where: { $0.process === partitioned }) else { return nil }
        return partitioned
    }

    func startSimulators() throws {
        guard !closed else { throw SoakError("the soak is stopping: no new partner simulator") }
        simulators = try settings.partnerIDs.indices.map { try simulator($0) }
    }

    /// The partner simulator of partner number `index`: duplicates and reorders its updates.
    private func simulator(_ index: Int) throws -> SoakProcess {
        started += 1
        let partner = settings.partnerIDs[index]
        let name = "partner-sim-\(partner)-\(started)"
        return try SoakProcess(
            name: name, executable: settings.executable,
            arguments: ["partner-sim", "--partner", partner] + common + [
                "--duplicate-rate", "0.2", "--reorder-rate", "0.2", "--seed", String(settings.seed &+ UInt64(started)),
                "--step-delay-ms", "150",
            ],
            logPath: "\(settings.directory)/\(name).log", environment: ["TRIALTRANSIT_HTTP_PORT": "0"])
    }

    private var common: [String] { ["--brokers", settings.brokers, "--local-broker", "--topic-prefix", settings.topicPrefix] }

    /// The running worker number `index` (modulo their count).
    func anyWorker(_ index: Int) -> (role: Role, process: SoakProcess)? {
        let alive = workers.filter { $0.process.exited == nil }
        return alive.isEmpty ? nil : alive[index % alive.count]
    }

    /// Takes a process out of the fleet before the soak ends it on purpose.
    func retire(_ process: SoakProcess) {
        workers.removeAll { $0.process === process }
        retired.append(process)
    }

    /// Workers and simulators that ended without the soak asking them to; each is started again
    /// (as a deployment would), so one exit does not spoil the rest of the run.
    func unexpectedExits() -> [String] {
        // While stopAll() awaits each process, the processes it stopped are not "unexpected".
        guard !closed else { return [] }
        var names: [String] = []
        for (role, process) in workers where process.exited != nil {
            names.append("\(process.name) (\(process.ending ?? "running"))")
            retire(process)
            _ = try? start(role)
        }
        for (index, process) in simulators.enumerated() where process.exited != nil {
            names.append("\(process.name) (\(process.ending ?? "running"))")
            retired.append(process)
            if let again = try? simulator(index) { simulators[index] = again }
        }
        return names
    }

    func stopAll() async {
        closed = true
        for process in workers.map({ $0.process }) + simulators {
            await process.stop()
            retired.append(process)
        }
        workers = []
        simulators = []
    }
}
