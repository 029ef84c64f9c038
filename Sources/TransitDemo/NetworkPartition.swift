import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A network namespace whose own 127.0.0.1 reaches local services through a link that can be cut:
/// processes run in it (``command(_:_:)``) are partitioned from a service without being touched.
///
/// Local services advertise 127.0.0.1:PORT (the local broker sends clients back to its bind
/// address), so inside the namespace `socat` listens on 127.0.0.1 at each service's port. For a
/// ``start(name:directory:cuttablePorts:keptPorts:)`` cuttable port it forwards over a veth pair to a
/// second `socat` in the root namespace, which forwards to the real 127.0.0.1:PORT; ``cut()`` sets
/// the root end of the pair down, so packets are dropped silently (connections stall as in a real
/// partition rather than being reset) until ``reconnect()``. A kept port goes through a Unix socket
/// instead (network namespaces do not separate the file system) and stays reachable: a worker cut
/// from the broker still reaches its store. Needs root, iproute2 (`ip`) and `socat`
/// (scripts/bootstrap installs them). ``stop()`` ends the forwarders and deletes the namespace,
/// which deletes the veth pair; call it on every exit path.
public final class NetworkPartition: @unchecked Sendable {
    // @unchecked Sendable: `forwarders` and `stopped` are only touched under `lock`.
    public let name: String
    /// The root namespace's end of the veth pair (the one ``cut()`` sets down).
    public let rootInterface: String
    private let ip: String
    private let directory: String
    private let lock = NSLock()
    private var forwarders: [pid_t]
    private var stopped = false

    private init(name: String, rootInterface: String, ip: String, directory: String, forwarders: [pid_t]) {
        self.name = name
        self.rootInterface = rootInterface
        self.ip = ip
        self.directory = directory
        self.forwarders = forwarders
    }

    /// The full paths of `ip` and `socat`, or an error saying in one line why a partition cannot be made here.
    public static func tools() throws -> (ip: String, socat: String) {
        guard getuid() == 0 else {
            throw NetworkPartitionError("network partitions need root (ip netns add); run as root or leave out the partition fault")
        }
        return (try tool("ip"), try tool("socat"))
    }

    /// Makes namespace `name` (at most 14 letters and digits) with forwarders for
    /// `cuttablePorts` (cut by ``cut()``) and `keptPorts` (never cut) of 127.0.0.1; logs and sockets
    /// go to `directory`. Returns once every forwarder listens; on failure removes what it made.
    public static func start(name: String, directory: String, cuttablePorts: [Int], keptPorts: [Int] = []) async throws -> NetworkPartition {
        let (ip, socat) = try tools()
        guard name.count <= 14, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw NetworkPartitionError("namespace name '\(name)' must be at most 14 letters and digits (it names the veth pair too)")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let rootInterface = name + "r"
        let partition = NetworkPartition(name: name, rootInterface: rootInterface, ip: ip, directory: directory, forwarders: [])
        do {
            let (rootAddress, namespaceAddress) = try await partition.freeSubnet()
            try await partition.ip(["netns", "add", name])
            try await partition.ip(["-n", name, "link", "set", "lo", "up"])
            try await partition.ip(["link", "add", rootInterface, "type", "veth", "peer", "name", name + "n", "netns", name])
            try await partition.ip(["addr", "add", rootAddress + "/30", "dev", rootInterface])
            try await partition.ip(["link", "set", rootInterface, "up"])
            try await partition.ip(["-n", name, "addr", "add", namespaceAddress + "/30", "dev", name + "n"])
            try await partition.ip(["-n", name, "link", "set", name + "n", "up"])
            var probes: [(namespace: Bool, host: String, port: Int)] = []
            for port in cuttablePorts {
                try partition.forward(socat, ["TCP-LISTEN:\(port),bind=\(rootAddress),reuseaddr,fork", "TCP:127.0.0.1:\(port)"], log: "root-\(port)")
                try partition.forward(
                    ip, ["netns", "exec", name, socat, "TCP-LISTEN:\(port),bind=127.0.0.1,reuseaddr,fork", "TCP:\(rootAddress):\(port)"],
                    log: "namespace-\(port)")
                probes += [(false, rootAddress, port), (true, "127.0.0.1", port)]
            }
            for port in keptPorts {
                let socket = "\(directory)/\(name)-\(port).sock"
                try partition.forward(socat, ["UNIX-LISTEN:\(socket),fork", "TCP:127.0.0.1:\(port)"], log: "root-\(port)")
                try partition.forward(
                    ip, ["netns", "exec", name, socat, "TCP-LISTEN:\(port),bind=127.0.0.1,reuseaddr,fork", "UNIX-CONNECT:\(socket)"],
                    log: "namespace-\(port)")
                probes.append((true, "127.0.0.1", port))
            }
            try await partition.waitForListeners(probes)
            return partition
        } catch {
            await partition.stop()
            throw error
        }
    }

    /// `executable arguments` run inside the namespace (`ip netns exec`, which execs: the process
    /// keeps its pid, so signals reach it directly).
    public func command(_ executable: String, _ arguments: [String]) -> (executable: String, arguments: [String]) {
        (ip, ["netns", "exec", name, executable] + arguments)
    }

    /// Cuts the link: the namespace's packets to the cuttable ports are dropped from now on.
    public func cut() async throws { try await ip(["link", "set", rootInterface, "down"]) }

    /// Restores the link (the address's route comes back with it).
    public func reconnect() async throws { try await ip(["link", "set", rootInterface, "up"]) }

    /// Whether ``cut()`` is in force (the root end of the link is down).
    public func isCut() async throws -> Bool {
        let output = directory + "/\(name)-link.out"
        try await run(ip, ["-o", "link", "show", rootInterface], output: output)
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        return !text.contains(",UP")
    }

    /// Ends the forwarders (and the connections they forked) and deletes the namespace. Idempotent.
    public func stop() async {
        guard let pids = takeForwarders() else { return }
        for pid in pids { kill(-pid, SIGKILL) }
        for pid in pids { while waitpid(pid, nil, WNOHANG) == 0 { try? await Task.sleep(for: .milliseconds(20)) } }
        // The kernel tears a deleted namespace (and the veth pair with it) down later, in the
        // background; deleting the root end first removes the pair before this returns.
        try? await ip(["link", "delete", rootInterface])
        try? await ip(["netns", "delete", name])
    }

    /// ``stop()`` without waiting, for a signal handler: kills the forwarders, deletes the namespace.
    public func stopNow() {
        guard let pids = takeForwarders() else { return }
        for pid in pids { kill(-pid, SIGKILL) }
        for arguments in [["link", "delete", rootInterface], ["netns", "delete", name]] {
            if let pid = try? spawn(ip, arguments, output: "/dev/null") { waitpid(pid, nil, 0) }
        }
    }

    /// Deletes namespaces named `prefix` + a pid whose process is gone (left by a run that was killed).
    public static func removeStale(prefix: String) async {
        guard let (ip, _) = try? tools() else { return }
        let listing = NetworkPartition(name: prefix, rootInterface: "", ip: ip, directory: NSTemporaryDirectory(), forwarders: [])
        let output = NSTemporaryDirectory() + "netns-\(getpid()).out"
        defer { try? FileManager.default.removeItem(atPath: output) }
        guard (try? await listing.run(ip, ["netns", "list"], output: output)) != nil else { return }
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") {
            let name = String(line.split(separator: " ").first ?? "")
            guard name.hasPrefix(prefix), let pid = Int32(name.dropFirst(prefix.count)), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? await listing.ip(["netns", "delete", name])
        }
    }

    private func takeForwarders() -> [pid_t]? {
        lock.lock()
        defer { lock.unlock() }
        if stopped { return nil }
        stopped = true
        return forwarders
    }

    /// A /30 of 10.211.0.0/16 that no interface uses: (root end, namespace end).
    private func freeSubnet() async throws -> (String, String) {
        let output = directory + "/\(name)-addresses.out"
        try await run(ip, ["-4", "-o", "addr", "show"], output: output)
        let used = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        for _ in 0..<64 {
            let block = Int.random(in: 0..<16_384)
            let prefix = "10.211.\(block / 64)."
            let base = (block % 64) * 4
            if !used.contains(prefix + "\(base + 1)/") && !used.contains(prefix + "\(base + 2)/") {
                return (prefix + "\(base + 1)", prefix + "\(base + 2)")
            }
        }
        throw NetworkPartitionError("no free /30 in 10.211.0.0/16 for the veth pair")
    }

    private func forward(_ executable: String, _ arguments: [String], log: String) throws {
        let pid = try spawn(executable, arguments, output: "\(directory)/\(name)-\(log).log", ownGroup: true)
        lock.lock()
        forwarders.append(pid)
        lock.unlock()
    }

    private func waitForListeners(_ probes: [(namespace: Bool, host: String, port: Int)]) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        for probe in probes {
            let connect = ["bash", "-c", "{ exec 3<>/dev/tcp/\(probe.host)/\(probe.port); } 2>/dev/null"]
            let arguments = probe.namespace ? ["netns", "exec", name] + connect : nil
            while true {
                if (try? await run(arguments == nil ? "/bin/bash" : ip, arguments ?? Array(connect.dropFirst()), output: "/dev/null")) != nil { break }
                guard clock.now < deadline else {
                    throw NetworkPartitionError("socat does not listen on \(probe.host):\(probe.port) after 30 s; see \(directory)/\(name)-*.log")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private func ip(_ arguments: [String]) async throws {
        try await run(ip, arguments, output: "\(directory)/\(name)-ip.log")
    }

    /// Runs a short command to its end without blocking a thread; throws with its log when it fails.
    private func run(_ executable: String, _ arguments: [String], output: String) async throws {
        let pid = try spawn(executable, arguments, output: output)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 { try await Task.sleep(for: .milliseconds(10)) }
        guard status == 0 else {
            let log = output == "/dev/null" ? "" : ": " + ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\n").suffix(2).joined(separator: "; ")
            throw NetworkPartitionError("\(executable) \(arguments.joined(separator: " ")) failed (status \(status))\(log)")
        }
    }

    /// `posix_spawn` with stdout and stderr appended to `output`; with `ownGroup`, in a process group
    /// of its own, so that killing the group also ends the connections a forking socat made.
    private func spawn(_ executable: String, _ arguments: [String], output: String, ownGroup: Bool = false) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | (ownGroup ? POSIX_SPAWN_SETPGROUP : 0)))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard spawned == 0 else {
            throw NetworkPartitionError("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        return pid
    }

    private static func tool(_ name: String) throws -> String {
        for directory in ["/usr/sbin", "/usr/bin", "/sbin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        throw NetworkPartitionError("'\(name)' is not installed (scripts/bootstrap installs socat and iproute2)")
    }
}

/// Why a ``NetworkPartition`` cannot be made or changed (one line).
public struct NetworkPartitionError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
