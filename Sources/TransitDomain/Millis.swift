/// Milliseconds in common units (all domain times are unix ms).
public enum Millis {
    /// One second, ms.
    public static let second: Int64 = 1_000
    /// One minute, ms.
    public static let minute: Int64 = 60_000
    /// One hour, ms.
    public static let hour: Int64 = 3_600_000
    /// One day, ms.
    public static let day: Int64 = 86_400_000

    /// `count` seconds, ms.
    public static func seconds(_ count: Int) -> Int64 { Int64(count) * second }
    /// `count` minutes, ms.
    public static func minutes(_ count: Int) -> Int64 { Int64(count) * minute }
    /// `count` minutes, ms.
    public static func minutes(_ count: UInt32) -> Int64 { Int64(count) * minute }
    /// `count` days, ms (saturating).
    public static func days(_ count: Int) -> Int64 {
        let (product, overflow) = Int64(count).multipliedReportingOverflow(by: day)
        return overflow ? (count < 0 ? .min : .max) : product
    }
}
