import ArgumentParser
import Logging

/// `--log-level` and `--log-format` of the long-running processes (workers, partner-gateway).
/// `TrialTransitCommand.main` sets up logging from their layered values before parsing, so this
/// group declares and checks them.
struct LoggingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("trace, debug, info, notice, warning, error or critical. Default: info.", valueName: "level"))
    var logLevel: String?

    @Option(help: ArgumentHelp("text (one line per record) or json (JSON lines, for production). Default: text.", valueName: "format"))
    var logFormat: String?

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), not '\(logLevel)'")
        }
        if let logFormat, CLILogging.Format(rawValue: logFormat) == nil {
            throw ValidationError("--log-format must be text or json, not '\(logFormat)'")
        }
    }
}
