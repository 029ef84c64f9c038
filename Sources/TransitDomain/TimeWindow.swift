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
