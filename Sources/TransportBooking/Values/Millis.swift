/// Milliseconds in common units (all times in this module are unix ms).
enum Millis {
    static let second: Int64 = 1_000
    static let minute: Int64 = 60_000
    static func minutes(_ value: Int) -> Int64 { Int64(value) * minute }
    static func minutes(_ value: UInt32) -> Int64 { Int64(value) * minute }
    static func seconds(_ value: Int) -> Int64 { Int64(value) * second }
}
