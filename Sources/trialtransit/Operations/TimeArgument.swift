import Foundation

/// Reads the times operators type: ISO 8601 (`2026-01-02T10:00:00Z`, fractional seconds and
/// offsets allowed, `2026-01-02` for midnight UTC) or unix milliseconds.
enum TimeArgument {
    /// Unix ms of `text`, or a one-line error naming the option.
    static func milliseconds(_ text: String, option: String) throws -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.allSatisfy(\.isNumber), let value = Int64(trimmed) { return value }
        let formatter = ISO8601DateFormatter()
        let attempts: [ISO8601DateFormatter.Options] = [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds], [.withFullDate],
        ]
        for options in attempts {
            formatter.formatOptions = options
            if let date = formatter.date(from: trimmed) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        }
        throw OperationError(
            "\(option): cannot read time '\(text)': expected ISO 8601 such as 2026-01-02T10:00:00Z, or unix milliseconds")
    }

    /// `ms` as ISO 8601 UTC with milliseconds.
    static func iso(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
