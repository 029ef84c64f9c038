import Foundation

enum UnixTime {
    /// Milliseconds since 1970, as stored in the `*_at` columns.
    static func nowMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
