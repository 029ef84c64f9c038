/// The key range `[lower, upper)` holding exactly the strings that start with a prefix, in UTF-8
/// byte order (SQLite's BINARY collation, PostgreSQL's "C" collation), so that a prefix listing
/// is an index range scan. Both bounds are valid strings.
struct KeyPrefixRange: Equatable {
    var lower: String
    /// Nil when no string bounds the range (empty prefix, or one made only of U+10FFFF).
    var upper: String?

    init(prefix: String) {
        lower = prefix
        upper = nil
        // UTF-8 byte order is scalar order. Bump the last scalar that has a successor and drop
        // what follows it: every string starting with the prefix sorts below the result, and
        // every string at or above the prefix and below the result starts with the prefix.
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            if let next = Self.successor(of: last) {
                var bound = String.UnicodeScalarView()
                bound.append(contentsOf: scalars)
                bound.append(next)
                upper = String(bound)
                return
            }
        }
    }

    private static func successor(of scalar: Unicode.Scalar) -> Unicode.Scalar? {
        var value = scalar.value + 1
        if value == 0xD800 { value = 0xE000 }  // skip surrogates
        return Unicode.Scalar(value)
    }
}
