extension Sequence<Int64> {
    /// The distinct values as closed ranges of consecutive integers, ascending:
    /// `[7, 3, 4, 5, 9, 8]` gives `[3...5, 7...9]`.
    func consecutiveRuns() -> [ClosedRange<Int64>] {
        var runs: [ClosedRange<Int64>] = []
        for value in Set(self).sorted() {
            if let last = runs.last, last.upperBound &+ 1 == value {
                runs[runs.count - 1] = last.lowerBound...value
            } else {
                runs.append(value...value)
            }
        }
        return runs
    }
}
