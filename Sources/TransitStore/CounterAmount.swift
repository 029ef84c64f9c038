enum CounterAmount {
    /// Reserve and release take non-negative amounts (a negative reserve would be a release that
    /// ignores the floor, and the other way round).
    static func check(_ amount: Int) throws {
        guard amount >= 0 else {
            throw StoreError(code: .constraint, message: "counter amount must not be negative")
        }
    }
}
