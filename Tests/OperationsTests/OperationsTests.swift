import Testing

/// The operations CLI, run as the built `trialtransit` binary against the local broker. Serialized:
/// the tests start worker processes and the machine is small. Every test has its own topic prefix.
@Suite("Operations CLI", .serialized, .timeLimit(.minutes(4)))
struct OperationsTests {}
