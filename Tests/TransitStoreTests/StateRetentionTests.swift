import Testing

@testable import TransitStore

@Suite("State retention")
struct StateRetentionTests {
    @Test(arguments: StoreKind.allCases)
    func aSweepDeletesTheNamespacesRowsWrittenBeforeTheCutoffWindowByWindow(kind: StoreKind) async throws {
        try await withStore(kind) { harness, store in
            try await store.transaction { tx in
                for key in ["a", "b", "c", "d", "e"] { try tx.setState(namespace: "answers", key: key, value: [1]) }
                try tx.setState(namespace: "other", key: "a", value: [2])
            }
            // Backdate a, c and e (and other/a); b and d stay current.
            try harness.executeRaw("UPDATE state SET updated_at = 1000 WHERE key IN ('a', 'c', 'e')")
            let cutoff: Int64 = 5000

            // Windows of two rows in key order: [a b], [c d], [e].
            let first = try await store.pruneState(namespace: "answers", updatedBefore: cutoff, after: "", limit: 2)
            #expect(first == InboxSweep(deleted: 1, next: "b"))
            let second = try await store.pruneState(namespace: "answers", updatedBefore: cutoff, after: "b", limit: 2)
            #expect(second == InboxSweep(deleted: 1, next: "d"))
            let last = try await store.pruneState(namespace: "answers", updatedBefore: cutoff, after: "d", limit: 2)
            #expect(last == InboxSweep(deleted: 1, next: nil), "a short window is the end")

            let (kept, other) = try await store.transaction { tx in
                (try tx.stateKeys(namespace: "answers", prefix: ""), try tx.state(namespace: "other", key: "a"))
            }
            #expect(kept == ["b", "d"], "rows written at or after the cutoff stay")
            #expect(other == [2], "other namespaces keep their rows")
        }
    }
}
