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

    /// True when `endAt >= startAt` and the window is set.
    public var isValid: Bool { startAt > 0 && endAt >= startAt }
}
