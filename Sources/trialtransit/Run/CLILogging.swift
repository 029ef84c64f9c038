import Logging
import TransitRPC

#if canImport(Glibc)
import Glibc
#endif

/// Logging set-up of the command-line tool: one bootstrap per process, from `--log-level` and
/// `--log-format` (or `TRIALTRANSIT_LOG_LEVEL` and `TRIALTRANSIT_LOG_FORMAT` for commands without
/// them); default `info`, text lines on standard error.
enum CLILogging {
    /// How records are written to standard error.
    enum Format: String {
        /// swift-log's stream format, one line per record.
        case text
        /// One JSON object per line (``JSONLogHandler``), for log collectors.
        case json
    }

    /// Installs the handler; unknown values fall back to `info` and `text` (the options reject them
    /// with a clear error while parsing).
    static func bootstrap(level: String?, format: String?) {
        let level = level.flatMap(Logger.Level.init(rawValue:)) ?? .info
        let format = format.flatMap(Format.init(rawValue:)) ?? .text
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                switch format {
                case .text: StreamLogHandler.standardError(label: label)
                case .json: JSONLogHandler(label: label)
                }
            handler.logLevel = level
            return handler
        }
    }

    /// A logger whose lines, written while a record is handled, carry its `trace_id`.
    static func logger(label: String) -> Logger {
        Logger(label: label, metadataProvider: TracePropagation.loggingMetadata)
    }
}
