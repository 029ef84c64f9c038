/// A closed interval `[startAt, endAt]` in unix ms (mirrors `trialtransit.v1.TimeWindow`).
public struct TimeWindow: Codable, Sendable, Hashable {
    /// Earliest instant, unix ms.
    public var startAt: Int64
    /// Latest instant, unix ms; never before `startAt`.
    public var endAt: Int64

    public init(startAt: Int64, endAt: Int64) {
        self.startAt = startAt
        self.endAt = endAt
    }

    /// True when `endAt >= startAt`.
    public var isValid: Bool { endAt >= startAt }

    /// True when `instant` lies in the window, bounds included.
    public func contains(_ instant: Int64) -> Bool { startAt <= instant && instant <= endAt }
}

/// Milliseconds in common units (all times in this module are unix ms).
public enum Millis {
    /// One minute, ms.
    public static let minute: Int64 = 60_000
    /// One hour, ms.
    public static let hour: Int64 = 3_600_000
    /// One day, ms.
    public static let day: Int64 = 86_400_000
    /// `count` days, ms (saturating).
    public static func days(_ count: Int) -> Int64 {
        let (product, overflow) = Int64(count).multipliedReportingOverflow(by: day)
        return overflow ? (count < 0 ? .min : .max) : product
    }
}
