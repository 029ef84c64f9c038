import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP proxy (tinyproxy, from scripts/bootstrap's packages) on 127.0.0.1, for the webhook
/// gateway's egress: it logs every request it is asked for, so a test sees which `CONNECT` targets
/// went through it. With `user`/`password` it asks for Basic proxy authentication; with
/// `connectPorts` it tunnels only to those ports (403 for others).
public final class EgressProxy: @unchecked Sendable {
    public let port: Int
    private let directory: String
    private let process: Process

    private init(port: Int, directory: String, process: Process) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }

    public static func start(user: String? = nil, password: String? = nil, connectPorts: [Int] = []) async throws -> EgressProxy {
        let tinyproxy = try TLSFront.tool("tinyproxy")
        let port = try freeTCPPort()
        let directory = NSTemporaryDirectory() + uniqueName("tt-proxy")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var lines = [
            "Port \(port)", "Listen 127.0.0.1", "Timeout 30", "MaxClients 20", "Allow 127.0.0.1",
            "LogFile \"\(directory)/proxy.log\"", "LogLevel Connect", "PidFile \"\(directory)/proxy.pid\"",
        ]
        if let user, let password { lines.append("BasicAuth \(user) \(password)") }
        lines += connectPorts.map { "ConnectPort \($0)" }
        let config = directory + "/proxy.conf"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: config))
        // -d: in the foreground, a child of the test that is killed at stop.
        let process = try TLSFront.spawn(tinyproxy, ["-d", "-c", config], log: directory + "/stderr.log")
        let proxy = EgressProxy(port: port, directory: directory, process: process)
        do {
            try await waitUntil("tinyproxy listens on 127.0.0.1:\(port)", timeout: .seconds(30)) {
                guard process.isRunning else { throw TestEnvironmentError(description: "tinyproxy exited: \(proxy.log())") }
                return (try? await onOwnThread {
                    try runCommand("/bin/bash", ["-c", "{ exec 3<>/dev/tcp/127.0.0.1/\(port); } 2>/dev/null"])
                }) != nil
            }
        } catch {
            await proxy.stop()
            throw error
        }
        return proxy
    }

    /// The targets of the `CONNECT` requests the proxy was asked for, in order (`host:port`).
    public func connectTargets() -> [String] {
        log().split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "): CONNECT ") else { return nil }
            return line[range.upperBound...].split(separator: " ").first.map(String.init)
        }
    }

    /// What the proxy logged, for a failing test's message.
    public func log() -> String {
        ["proxy.log", "stderr.log"].map { (try? String(contentsOfFile: directory + "/" + $0, encoding: .utf8)) ?? "" }
            .joined(separator: "\n")
    }

    /// Stops the proxy and removes its directory.
    public func stop() async {
        // SIGKILL: a child inherits the test process's blocked signals and may never see SIGTERM.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
