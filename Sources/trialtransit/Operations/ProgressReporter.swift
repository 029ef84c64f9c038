#if canImport(Glibc)
import Glibc
import TransitTime
#endif

/// Counts of a replay or redrive.
struct TransferCounts: Sendable, Hashable {
    /// Records read from the source.
    var read = 0
    /// Records selected by the key and field filters.
    var matched = 0
    /// Records published (or, on a dry run, that would be).
    var published = 0
    /// Records read but not selected.
    var skipped = 0
    /// Records whose publication failed.
    var failed = 0
}

/// Progress of a replay or redrive on stderr: one line rewritten in place (`\r`) on a terminal,
/// otherwise a line every few seconds.
struct ProgressReporter {
    private let label: String
    private let total: Int?
    private let interactive: Bool
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastShown: ContinuousClock.Instant?
    private var lastWidth = 0

    private let sentWord: String

    init(label: String, total: Int?, dryRun: Bool = false) {
        self.label = label
        self.total = total
        interactive = isatty(STDERR_FILENO) != 0
        start = clock.now
        // Periodic lines start after the first interval; a terminal line shows at once.
        lastShown = interactive ? nil : start
        sentWord = dryRun ? "to send" : "sent"
    }

    /// Seconds since the start.
    var elapsedSeconds: Double {
        let (seconds, attoseconds) = (clock.now - start).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Shows `counts` if enough time passed since the last line (always when `force`).
    mutating func update(_ counts: TransferCounts, force: Bool = false) {
        let now = clock.now
        let interval: Duration = interactive ? .milliseconds(100) : .seconds(2)
        if !force, let lastShown, now - lastShown < interval { return }
        lastShown = now
        let line = render(counts)
        if interactive {
            let padding = String(repeating: " ", count: max(0, lastWidth - line.count))
            lastWidth = line.count
            write("\r" + line + padding)
        } else {
            write(line + "\n")
        }
    }

    /// Shows the final counts and ends the progress line.
    mutating func finish(_ counts: TransferCounts) {
        update(counts, force: true)
        if interactive { write("\n") }
    }

    /// Records per second since the start.
    func rate(_ count: Int) -> Double {
        let elapsed = elapsedSeconds
        return elapsed > 0 ? Double(count) / elapsed : 0
    }

    private func render(_ counts: TransferCounts) -> String {
        var line = label + " "
        if let total, total > 0 {
            let fraction = min(1, Double(counts.read) / Double(total))
            let filled = Int((fraction * 20).rounded(.down))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 20 - filled) + "] "
            line += "\(Int((fraction * 100).rounded(.down)))% \(counts.read)/\(total) read"
        } else {
            line += "\(counts.read) read"
        }
        line += ", \(counts.matched) matched, \(counts.published) \(sentWord), \(counts.failed) failed, \(Int(rate(counts.read).rounded())) msg/s"
        return line
    }

    private func write(_ text: String) {
        StandardError.write(text)
    }
}

/// Unbuffered writes to file descriptor 2.
enum StandardError {
    static func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Glibc.write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written <= 0 { return }
            offset += written
        }
        bytes.removeAll()
    }
}
