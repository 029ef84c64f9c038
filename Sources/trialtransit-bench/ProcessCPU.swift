import Foundation

/// CPU time (user + system) this process has used so far, in seconds: the bench's measure that a
/// busy machine disturbs less than wall-clock rates (every thread counts: librdkafka's, the store's,
/// and in `bench transport` the simulated partner's and the publishing; the broker's process does not).
enum ProcessCPU {
    static func seconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        let who = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Microseconds of process CPU per record, formatted.
    static func perRecord(_ cpuSeconds: Double, records: Int) -> String {
        String(format: "%.1f", records > 0 ? cpuSeconds * 1_000_000 / Double(records) : 0)
    }
}
