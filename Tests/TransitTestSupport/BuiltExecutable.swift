import Foundation

/// Executables of this package built beside the test binary (`swift build --build-tests` builds
/// both into the same folder, whatever `--scratch-path` or configuration was used).
public enum BuiltExecutable {
    /// The path of the built executable `name`; `TRIALTRANSIT_BIN` and `TRIALTRANSIT_BENCH_BIN`
    /// override the `trialtransit` and `trialtransit-bench` ones. Throws when it is not there.
    public static func path(_ name: String = "trialtransit") throws -> String {
        let override = ["trialtransit": "TRIALTRANSIT_BIN", "trialtransit-bench": "TRIALTRANSIT_BENCH_BIN"][name]
        if let override, let path = ProcessInfo.processInfo.environment[override], !path.isEmpty {
            return path
        }
        let testBinary = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0])
        var folder = testBinary.deletingLastPathComponent()
        // On Darwin the test binary sits inside a bundle: <folder>/X.xctest/Contents/MacOS/X.
        while folder.pathExtension == "xctest" || folder.lastPathComponent == "MacOS" || folder.lastPathComponent == "Contents" {
            folder.deleteLastPathComponent()
        }
        let path = folder.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestEnvironmentError(description: "\(name) is not built at \(path): run swift build --build-tests")
        }
        return path
    }
}
