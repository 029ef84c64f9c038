extension [OutboxMessage] {
    /// These rows (a read of ``OutboxScope/own(orphanedBefore:)``) with `earlier`, other writers'
    /// rows read for their keys, by id; a row in both (its claim changed between the two reads)
    /// once.
    func withEarlierRows(_ earlier: [OutboxMessage]) -> [OutboxMessage] {
        guard !earlier.isEmpty else { return self }
        var merged: [OutboxMessage] = []
        merged.reserveCapacity(count + earlier.count)
        var (mine, theirs) = (self[...], earlier[...])
        while let next = [mine.first, theirs.first].compactMap({ $0 }).min(by: { $0.id < $1.id }) {
            if mine.first?.id == next.id { mine.removeFirst() }
            if theirs.first?.id == next.id { theirs.removeFirst() }
            merged.append(next)
        }
        return merged
    }
}
