import Foundation
import Testing
import TransitTestSupport

/// `trialtransit-bench` completes its command line from `TRIALTRANSIT_*` as `trialtransit` does
/// (one configuration layer, no option-by-option fallbacks).
@Suite("bench options from the environment")
struct BenchEnvironmentTests {
    @Test func anOptionComesFromItsVariableAndABadValueNamesTheVariable() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltExecutable.path("trialtransit-bench"))
        process.arguments = ["consume"]
        process.environment = ["TRIALTRANSIT_BROKERS": "127.0.0.1:9", "TRIALTRANSIT_MESSAGES": "0"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The command fails in validation, before any broker is contacted: the pipe ends at its exit.
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(text.contains("--messages must be positive (from TRIALTRANSIT_MESSAGES)"), "stderr: \(text)")
    }
}
