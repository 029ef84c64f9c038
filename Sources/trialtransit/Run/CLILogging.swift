import Logging
import TransitRPC

#if canImport(Glibc)
import Glibc
import TransitCommandLine
#endif

/// Logging set-up of the command-line tool: level from `TRIALTRANSIT_LOG_LEVEL` (default `info`);
/// lines written while a record is handled carry its `trace_id`.
enum CLILogging {
    static func logger(label: String) -> Logger {
        var logger = Logger(label: label, metadataProvider: TracePropagation.loggingMetadata)
        if let value = environment("TRIALTRANSIT_LOG_LEVEL"), let level = Logger.Level(rawValue: value) {
            logger.logLevel = level
        } else {
            logger.logLevel = .info
        }
        return logger
    }
}
