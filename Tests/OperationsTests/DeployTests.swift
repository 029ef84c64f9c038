import Foundation
import Testing
import TransitTestSupport

extension OperationsTests {
    /// What can be checked in deploy/ without a Docker engine: every YAML and JSON file parses
    /// (scripts/deploy-commands.py, PyYAML), every `trialtransit …` command line there names an
    /// existing subcommand and only flags that subcommand accepts, every Kubernetes worker is a
    /// StatefulSet passing its pod name as the static membership id, and every metric the Grafana
    /// dashboard queries is one the sources register.
    @Test func deployFilesParseAndNameRealCommands() async throws {
        let root = TestEnvironment.repositoryRoot
        let venvPython = root + "/.venv/bin/python"
        let python = FileManager.default.isExecutableFile(atPath: venvPython) ? venvPython : "/usr/bin/python3"
        let listed = try await onOwnThread { try runCommand(python, [root + "/scripts/deploy-commands.py", root]) }
        let found = try #require(
            try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [String: Any], "not a JSON object: \(listed)")
        let entries = try #require(found["commands"] as? [[String: Any]], "\(found)")
        let lines = entries.compactMap { entry -> (file: String, argv: [String])? in
            guard let file = entry["file"] as? String, let argv = entry["argv"] as? [String] else { return nil }
            return (file, argv)
        }
        // The workers of compose and both Deployments, and the health checks: nothing silently skipped.
        #expect(lines.filter { $0.argv.starts(with: ["trialtransit", "worker"]) }.count >= 4, "\(lines)")
        #expect(lines.contains { $0.argv.starts(with: ["trialtransit", "health"]) }, "\(lines)")

        // Kubernetes workers: StatefulSets whose pods pass their own name as group.instance.id.
        let workers = try #require(found["workers"] as? [[String: Any]], "\(found)")
        #expect(workers.count >= 2, "\(workers)")
        for worker in workers {
            #expect(worker["kind"] as? String == "StatefulSet", "\(worker)")
            #expect(worker["instance_id_from"] as? String == "metadata.name", "\(worker)")
        }

        // Kubernetes workers read the configuration file the ConfigMap carries, and that file is
        // deploy/trialtransit.yaml unchanged, whose every key a worker accepts
        // (sampleConfigFileRunsAWorkerAndTheEffectiveConfigurationIsLoggedWithoutSecrets).
        let sample = try String(contentsOfFile: root + "/deploy/trialtransit.yaml", encoding: .utf8)
        let configFiles = try #require(found["config_files"] as? [[String: Any]], "\(found)")
        #expect(!configFiles.isEmpty, "no ConfigMap carries a configuration file")
        for file in configFiles {
            #expect(file["text"] as? String == sample, "\(file["file"] ?? "?") differs from deploy/trialtransit.yaml")
        }
        let users = try #require(found["config_users"] as? [[String: Any]], "\(found)")
        #expect(users.count >= 2, "\(users)")
        for user in users {
            #expect(user["config"] as? String == "/etc/trialtransit/config/trialtransit.yaml", "\(user)")
        }

        // The dashboard's metrics exist: each name is registered somewhere in Sources/.
        let metrics = try #require(found["metrics"] as? [[String: Any]], "\(found)").compactMap { $0["metric"] as? String }
        #expect(metrics.count >= 10, "\(metrics)")
        let registered = try registeredMetricNames(under: root + "/Sources")
        for metric in metrics {
            #expect(registered.contains(metric), "deploy/grafana uses \(metric), which no source registers")
        }

        for (file, argv) in lines {
            let arguments = Array(argv.dropFirst())
            let path = Array(arguments.prefix { !$0.hasPrefix("-") })
            let flags = arguments.filter { $0.hasPrefix("--") && $0 != "--help" }.map { String($0.prefix { $0 != "=" }) }
            let help = try await Ops.cli(path + ["--help"])
            #expect(help.status == 0, "\(file): \(argv.joined(separator: " ")): \(help)")
            let usage = "USAGE: " + (["trialtransit"] + path).joined(separator: " ")
            #expect(help.stdout.contains(usage), "\(file): \(argv.joined(separator: " ")) is not a subcommand: \(help)")
            for flag in flags {
                #expect(
                    help.stdout.contains(flag + " ") || help.stdout.contains(flag + "\n"),
                    "\(file): \(argv.joined(separator: " ")): \(flag) is not an option of trialtransit \(path.joined(separator: " "))")
            }
        }
    }
}

/// The `"trialtransit_…"` string literals of the Swift sources under `directory`: the metric labels.
private func registeredMetricNames(under directory: String) throws -> Set<String> {
    var names = Set<String>()
    let files = FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? []
    for file in files where file.hasSuffix(".swift") {
        let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
        for part in text.split(separator: "\"").dropFirst() where part.hasPrefix("trialtransit_") {
            if part.allSatisfy({ $0.isLowercase || $0 == "_" }) { names.insert(String(part)) }
        }
    }
    return names
}

extension OperationsTests {
    /// `trialtransit run` started outside the repository, with the default `samples/…` paths: one
    /// line `Error:` naming the file and its option, before anything connects; then the same for
    /// the partner file once the catalogue is found.
    @Test func runOutsideTheRepositoryNamesTheMissingFileAndItsOption() async throws {
        let directory = NSTemporaryDirectory() + Ops.unique("outside")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = ["--store", "sqlite:" + directory + "/store.sqlite"]

        let noCatalog = try await Ops.cli(["run"] + store, timeout: .seconds(30), workingDirectory: directory)
        #expect(noCatalog.status != 0, "\(noCatalog)")
        let line = noCatalog.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!line.contains("\n") && line.hasPrefix("Error: --catalog samples/catalog.json: no such file"), "\(noCatalog)")
        #expect(line.contains("--catalog") && !line.contains("NSCocoaErrorDomain"), "\(noCatalog)")

        let catalog = TestEnvironment.repositoryRoot + "/samples/catalog.json"
        let noPartners = try await Ops.cli(["run", "--catalog", catalog] + store, timeout: .seconds(30), workingDirectory: directory)
        let partnerLine = noPartners.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(noPartners.status != 0, "\(noPartners)")
        #expect(!partnerLine.contains("\n") && partnerLine.hasPrefix("Error: --partners samples/partners.json: no such file"), "\(noPartners)")
        #expect(partnerLine.contains("--partners"), "\(noPartners)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/store.sqlite"), "nothing was opened")
    }
}
