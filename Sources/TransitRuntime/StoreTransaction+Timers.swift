import TransitStore

extension StoreTransaction {
    /// Due timers of one owner (several workers may share a store).
    func dueTimers(owner: String, now: Int64, limit: Int) throws -> [DurableTimer] {
        try dueTimers(now: now, limit: limit * 4).filter { $0.owner == owner }.prefix(limit).map { $0 }
    }
}
