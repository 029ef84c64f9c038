import Foundation

/// Certificates made by `openssl` in a temporary directory: a CA, a broker certificate for
/// 127.0.0.1 signed by it, one for another host name, a client certificate, and an unrelated CA.
public struct TestCertificates: Sendable {
    public let directory: String

    public var ca: String { directory + "/ca.pem" }
    public var otherCA: String { directory + "/other-ca.pem" }
    public var server: String { directory + "/server.pem" }
    public var serverKey: String { directory + "/server.key" }
    /// Signed by ``ca`` but issued for `DNS:elsewhere.test` only.
    public var wrongHost: String { directory + "/wrong-host.pem" }
    public var client: String { directory + "/client.pem" }
    public var clientKey: String { directory + "/client.key" }

    public static func make() async throws -> TestCertificates {
        let directory = NSTemporaryDirectory() + uniqueName("tls-certs")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificates = TestCertificates(directory: directory)
        try await onOwnThread { try certificates.generate() }
        return certificates
    }

    private func generate() throws {
        let openssl = try TLSFront.tool("openssl")
        // openssl reports progress on stderr: keep it in a file, shown when a step fails.
        let log = directory + "/openssl.log"
        func run(_ arguments: [String]) throws {
            do {
                _ = try runCommand("/bin/bash", ["-c", #"exec "$0" "$@" 2>>"\#(log)""#, openssl] + arguments)
            } catch {
                throw CommandFailure(description: "\(error): \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            }
        }
        for (name, subject) in [("ca", "/CN=TrialTransit test CA"), ("other-ca", "/CN=Unrelated CA")] {
            try run([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", subject,
                "-keyout", "\(directory)/\(name).key", "-out", "\(directory)/\(name).pem",
            ])
        }
        for (name, subject) in [("server", "/CN=broker"), ("client", "/CN=tls-test-client")] {
            try run([
                "req", "-newkey", "rsa:2048", "-nodes", "-subj", subject,
                "-keyout", "\(directory)/\(name).key", "-out", "\(directory)/\(name).csr",
            ])
        }
        let signed: [(certificate: String, request: String, extensions: String)] = [
            ("server", "server", "subjectAltName=IP:127.0.0.1"),
            ("wrong-host", "server", "subjectAltName=DNS:elsewhere.test"),
            ("client", "client", "extendedKeyUsage=clientAuth"),
        ]
        for item in signed {
            let extensions = "\(directory)/\(item.certificate).ext"
            try Data((item.extensions + "\n").utf8).write(to: URL(fileURLWithPath: extensions))
            try run([
                "x509", "-req", "-in", "\(directory)/\(item.request).csr", "-CA", ca, "-CAkey",
                "\(directory)/ca.key",
                "-CAcreateserial", "-days", "1", "-extfile", extensions, "-out",
                "\(directory)/\(item.certificate).pem",
            ])
        }
    }

    public func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

/// A TLS terminator in front of the test broker, seen by clients in a network namespace of its own.
///
/// The local broker advertises its bind address (127.0.0.1:PORT), so a client that bootstraps
/// through a terminator elsewhere would be sent back to the plaintext port. Inside the namespace
/// 127.0.0.1 is the namespace's own loopback: `socat` listens there with TLS on the broker's port,
/// and reaches the broker through a Unix socket (network namespaces do not separate the file
/// system), bridged to the real broker by a second `socat` outside. Run clients with
/// ``command(_:)`` (`ip netns exec NS …`). Needs root, iproute2 and socat (scripts/bootstrap
/// installs them); without them ``start(broker:certificate:key:clientCA:certificates:)`` throws,
/// saying what is missing.
public final class TLSFront: @unchecked Sendable {
    public let namespace: String
    /// The broker's address, which is also the terminator's inside the namespace.
    public let address: String
    private let directory: String
    private let processes: [Process]

    private init(namespace: String, address: String, directory: String, processes: [Process]) {
        self.namespace = namespace
        self.address = address
        self.directory = directory
        self.processes = processes
    }

    /// Starts a terminator for `broker` (`127.0.0.1:PORT`) presenting `certificate` with `key`;
    /// with `clientCA`, it requires a client certificate signed by that CA (mutual TLS).
    public static func start(
        broker: String, certificate: String, key: String, clientCA: String? = nil
    ) async throws -> TLSFront {
        guard getuid() == 0 else {
            throw TestEnvironmentError(
                description: "the TLS tests need root for network namespaces (ip netns add)")
        }
        let ip = try tool("ip")
        let socat = try tool("socat")
        guard let port = broker.split(separator: ":").last.map(String.init),
            broker.hasPrefix("127.0.0.1:")
        else {
            throw TestEnvironmentError(
                description: "TLSFront needs a broker at 127.0.0.1:PORT, not \(broker)")
        }
        let namespace = uniqueName("tt-tls").replacingOccurrences(of: "-", with: "")
        let directory = NSTemporaryDirectory() + namespace
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        do {
            try await onOwnThread {
                _ = try runCommand(ip, ["netns", "add", namespace])
                _ = try runCommand(ip, ["netns", "exec", namespace, ip, "link", "set", "lo", "up"])
            }
        } catch {
            throw TestEnvironmentError(
                description:
                    "cannot make network namespace \(namespace) (root and iproute2 needed): \(error)")
        }
        let socket = directory + "/broker.sock"
        var listen =
            "OPENSSL-LISTEN:\(port),bind=127.0.0.1,reuseaddr,fork,cert=\(certificate),key=\(key)"
        listen += clientCA.map { ",cafile=\($0),verify=1" } ?? ",verify=0"
        var processes: [Process] = []
        do {
            processes.append(
                try spawn(
                    socat, ["UNIX-LISTEN:\(socket),fork", "TCP:\(broker)"], log: directory + "/bridge.log"))
            processes.append(
                try spawn(
                    ip, ["netns", "exec", namespace, socat, listen, "UNIX-CONNECT:\(socket)"],
                    log: directory + "/terminator.log"))
            let front = TLSFront(
                namespace: namespace, address: broker, directory: directory, processes: processes)
            try await waitUntil(
                "the TLS terminator listens on \(broker) in \(namespace)", timeout: .seconds(30)
            ) {
                guard processes.allSatisfy(\.isRunning) else {
                    throw TestEnvironmentError(description: "socat exited: \(front.logs())")
                }
                guard FileManager.default.fileExists(atPath: socket) else { return false }
                let probe = ["netns", "exec", namespace, "bash", "-c", "{ exec 3<>/dev/tcp/127.0.0.1/\(port); } 2>/dev/null"]
                return (try? await onOwnThread { try runCommand(ip, probe) }) != nil
            }
            return front
        } catch {
            for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
            _ = try? runCommand(ip, ["netns", "delete", namespace])
            throw error
        }
    }

    /// `executable arguments` run inside the namespace.
    public func command(_ executable: String, _ arguments: [String]) throws -> (
        executable: String, arguments: [String]
    ) {
        (try Self.tool("ip"), ["netns", "exec", namespace, executable] + arguments)
    }

    /// What the two socat processes logged (their errors), for a failing test's message.
    public func logs() -> String {
        ["bridge.log", "terminator.log"].map { name in
            "\(name): " + ((try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? "")
        }.joined(separator: "\n")
    }

    /// Stops the terminator and the bridge, deletes the namespace and the directory.
    public func stop() async {
        // SIGKILL: socat inherits the test process's blocked signals, so it never sees SIGTERM.
        for process in processes where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let namespace = self.namespace
        let directory = self.directory
        _ = try? await onOwnThread {
            _ = try? runCommand(try Self.tool("ip"), ["netns", "delete", namespace])
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// The full path of a tool from scripts/bootstrap's list; throws naming it when it is missing.
    static func tool(_ name: String) throws -> String {
        for directory in ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        throw TestEnvironmentError(
            description:
                "'\(name)' is not installed: run scripts/bootstrap (it installs socat, iproute2, openssl, tinyproxy)")
    }

    static func spawn(_ executable: String, _ arguments: [String], log: String) throws
        -> Process
    {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        return process
    }
}
