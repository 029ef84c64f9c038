import Foundation
import Testing
import TransitTestSupport

extension OperationsTests {
    /// What can be checked in deploy/ without a Docker engine: every YAML file parses
    /// (scripts/deploy-commands.py, PyYAML), and every `trialtransit …` command line there names an
    /// existing subcommand and only flags that subcommand accepts.
    @Test func deployFilesParseAndNameRealCommands() async throws {
        let root = TestEnvironment.repositoryRoot
        let venvPython = root + "/.venv/bin/python"
        let python = FileManager.default.isExecutableFile(atPath: venvPython) ? venvPython : "/usr/bin/python3"
        let listed = try await onOwnThread { try runCommand(python, [root + "/scripts/deploy-commands.py", root]) }
        let entries = try #require(
            try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [[String: Any]], "not a JSON array: \(listed)")
        let lines = entries.compactMap { entry -> (file: String, argv: [String])? in
            guard let file = entry["file"] as? String, let argv = entry["argv"] as? [String] else { return nil }
            return (file, argv)
        }
        // The workers of compose and both Deployments, and the health checks: nothing silently skipped.
        #expect(lines.filter { $0.argv.starts(with: ["trialtransit", "worker"]) }.count >= 4, "\(lines)")
        #expect(lines.contains { $0.argv.starts(with: ["trialtransit", "health"]) }, "\(lines)")

        for (file, argv) in lines {
            let arguments = Array(argv.dropFirst())
            let path = Array(arguments.prefix { !$0.hasPrefix("-") })
            let flags = arguments.filter { $0.hasPrefix("--") && $0 != "--help" }.map { String($0.prefix { $0 != "=" }) }
            let help = try await Ops.cli(path + ["--help"], timeout: .seconds(20))
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
