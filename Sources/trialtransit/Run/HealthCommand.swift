import ArgumentParser
import Foundation
import TransitHTTP

/// `trialtransit health`: the exec probe. Asks the local process's `/healthz` and `/readyz`.
struct HealthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Probe the local worker process: exit 0 when it is live and ready, 1 otherwise.",
        discussion: """
            Asks http://127.0.0.1:PORT/healthz and /readyz and prints one line. Exits 1 when either \
            answers otherwise than 200 or nothing listens. For orchestrators without HTTP probes.
            Example:
              trialtransit health --http-port 8080
            """
    )

    @OptionGroup var http: HTTPOptions

    @Option(help: "Seconds to wait for each answer.")
    var timeout = 5

    func run() throws {
        let port = try http.port()
        guard port != 0 else {
            print("not probed: --http-port 0 (HTTP off)")
            throw ExitCode(1)
        }
        do {
            let live = try ProbeClient.get("/healthz", port: port, timeoutSeconds: timeout)
            let ready = try ProbeClient.get("/readyz", port: port, timeoutSeconds: timeout)
            let healthy = live.status == 200 && ready.status == 200
            print(
                "\(healthy ? "healthy" : "unhealthy"): /healthz \(live.status) \(Self.oneLine(live.body)), "
                    + "/readyz \(ready.status) \(Self.oneLine(ready.body))")
            if !healthy { throw ExitCode(1) }
        } catch let failure as ProbeClient.Failure {
            print("unhealthy: \(failure)")
            throw ExitCode(1)
        }
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
