import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process of the soak (a worker, a partner simulator or a helper script), started with
/// `posix_spawn` so that the soak can send it any signal; stdout and stderr go to `logPath`.
final class SoakProcess: @unchecked Sendable {
    let name: String
    let pid: pid_t
    let logPath: String
    private let lock = NSLock()
    private var exitStatus: Int32?

    init(name: String, executable: String, arguments: [String], logPath: String, environment: [String: String] = [:]) throws {
        self.name = name
        self.logPath = logPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var merged = ProcessInfo.processInfo.environment
        for (name, value) in environment { merged[name] = value }
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw SoakError("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
    }

    /// Sends `signal` unless the process has been reaped.
    func send(_ signal: Int32) {
        guard exited == nil else { return }
        kill(pid, signal)
    }

    /// The exit status once the process ended (reaps it without blocking), else nil.
    var exited: Int32? {
        lock.lock()
        defer { lock.unlock() }
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { exitStatus = status }
        return exitStatus
    }

    /// How the process ended and the last line it logged (for a process that ended on its own),
    /// e.g. `exit 1, last logged: Error: …`; nil while it runs.
    var ending: String? {
        guard let status = exited else { return nil }
        let signal = status & 0x7f
        let how = signal == 0 ? "exit \((status >> 8) & 0xff)" : "signal \(signal)"
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        guard let last = text.split(separator: "\n").last else { return how }
        return "\(how), last logged: \(last.prefix(300))"
    }

    /// SIGTERM, then SIGKILL after `grace`; waits until it is gone.
    func stop(grace: Duration = .seconds(15)) async {
        send(SIGCONT)
        send(SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while exited == nil && clock.now < deadline { try? await Task.sleep(for: .milliseconds(100)) }
        if exited == nil {
            send(SIGKILL)
            while exited == nil { try? await Task.sleep(for: .milliseconds(50)) }
        }
    }

    /// SIGKILL and wait until it is gone.
    func killNow() async {
        send(SIGKILL)
        while exited == nil { try? await Task.sleep(for: .milliseconds(50)) }
    }
}

/// A one-line failure of the soak itself (not an anomaly of the system under test).
struct SoakError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a helper script to its end and returns its trimmed stdout (stderr goes to `logPath`).
func runScript(_ path: String, _ arguments: [String], logPath: String) async throws -> String {
    let output = logPath + ".out"
    try? FileManager.default.removeItem(atPath: output)
    let process = try SoakProcess(name: path, executable: "/bin/bash", arguments: ["-c", "\"$0\" \"$@\" 2>>\"\(logPath)\"", path] + arguments, logPath: output)
    while process.exited == nil { try await Task.sleep(for: .milliseconds(100)) }
    let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    let status = process.exited ?? -1
    guard status == 0 else {
        throw SoakError("\(path) \(arguments.joined(separator: " ")) failed (status \(status)); see \(logPath)")
    }
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
}
