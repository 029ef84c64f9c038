import Testing

@testable import TransitStore

@Suite("Inbox and state")
struct InboxAndStateTests {
    @Test(arguments: StoreKind.allCases)
    func inboxDedupe(kind: StoreKind) async throws {
        try await withStore(kind) { _, store in
            let first = try await store.transaction { tx in
                let seen = try tx.processed(group: "g1", ids: ["e1", "e2"])
                try tx.markProcessed(group: "g1", ids: ["e1", "e2"])
                // Seen within the same transaction too, and re-marking is harmless.
                let again = try tx.processed(group: "g1", ids: ["e1", "e3"])
                try tx.markProcessed(group: "g1", ids: ["e1"])
                return (seen, again)
            }
            #expect(first.0.isEmpty)
            #expect(first.1 == ["e1"])
            let later = try await store.transaction { tx in
                try tx.processed(group: "g1", ids: ["e1", "e2", "e3"])
            }
            #expect(later == ["e1", "e2"])
            // The inbox is per consumer group.
            let otherGroup = try await store.transaction { tx in try tx.processed(group: "g2", ids: ["e1"]) }
            #expect(otherGroup.isEmpty)
            let empty = try await store.transaction { tx in
                try tx.markProcessed(group: "g1", ids: [])
                return try tx.processed(group: "g1", ids: [])
            }
            #expect(empty.isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func stateSetGetReplaceDelete(kind: StoreKind) async throws {
        try await withStore(kind) { _, store in
            try await store.transaction { tx in
                #expect(try tx.state(namespace: "ns", key: "k") == nil)
                try tx.setState(namespace: "ns", key: "k", value: [1, 2, 3])
                #expect(try tx.state(namespace: "ns", key: "k") == [1, 2, 3])
                try tx.setState(namespace: "other", key: "k", value: [9])
                try tx.setState(namespace: "ns", key: "empty", value: [])
            }
            try await store.transaction { tx in
                #expect(try tx.state(namespace: "ns", key: "k") == [1, 2, 3])
                #expect(try tx.state(namespace: "ns", key: "empty") == [])
                try tx.setState(namespace: "ns", key: "k", value: [4])
                #expect(try tx.state(namespace: "ns", key: "k") == [4])
            }
            try await store.transaction { tx in
                #expect(try tx.state(namespace: "ns", key: "k") == [4])
                #expect(try tx.state(namespace: "other", key: "k") == [9])
                try tx.deleteState(namespace: "ns", key: "k")
                try tx.deleteState(namespace: "ns", key: "never-there")
                #expect(try tx.state(namespace: "ns", key: "k") == nil)
            }
            let after = try await store.transaction { tx in
                (try tx.state(namespace: "ns", key: "k"), try tx.state(namespace: "other", key: "k"))
            }
            #expect(after.0 == nil)
            #expect(after.1 == [9])
            let large = [UInt8](repeating: 0xab, count: 300_000)
            try await store.transaction { tx in try tx.setState(namespace: "ns", key: "large", value: large) }
            let readBack = try await store.transaction { tx in try tx.state(namespace: "ns", key: "large") }
            #expect(readBack == large)
        }
    }

    /// A read-ahead changes no answer: read-ahead keys, absent ones, this transaction's own writes
    /// before and after the read-ahead, and after its buffered writes went out (a listing flushes them).
    @Test(arguments: StoreKind.allCases)
    func prefetchedStateAnswersLikeSingleReads(kind: StoreKind) async throws {
        try await withStore(kind) { _, store in
            try await store.transaction { tx in
                try tx.setState(namespace: "ns", key: "a", value: [1])
                try tx.setState(namespace: "ns", key: "b", value: [2])
                try tx.setState(namespace: "other", key: "a", value: [9])
            }
            try await store.transaction { tx in
                try tx.setState(namespace: "ns", key: "written", value: [3])
                try tx.prefetchState(namespace: "ns", keys: ["a", "b", "absent", "written", "a"])
                #expect(try tx.state(namespace: "ns", key: "a") == [1])
                #expect(try tx.state(namespace: "ns", key: "absent") == nil)
                #expect(try tx.state(namespace: "ns", key: "written") == [3])
                #expect(try tx.state(namespace: "other", key: "a") == [9])
                try tx.setState(namespace: "ns", key: "a", value: [4])
                try tx.deleteState(namespace: "ns", key: "b")
                try tx.setState(namespace: "ns", key: "absent", value: [5])
                #expect(try tx.state(namespace: "ns", key: "a") == [4])
                #expect(try tx.state(namespace: "ns", key: "b") == nil)
                #expect(try tx.stateKeys(namespace: "ns", prefix: "") == ["a", "absent", "written"])
                #expect(try tx.state(namespace: "ns", key: "a") == [4])
                #expect(try tx.state(namespace: "ns", key: "b") == nil)
                #expect(try tx.state(namespace: "ns", key: "absent") == [5])
                try tx.prefetchState(namespace: "ns", keys: ["a", "b"])
                #expect(try tx.state(namespace: "ns", key: "a") == [4])
                #expect(try tx.state(namespace: "ns", key: "b") == nil)
                try tx.prefetchState(namespace: "ns", keys: [])
            }
            let after = try await store.transaction { tx in
                try tx.prefetchState(namespace: "ns", keys: ["a", "b", "absent"])
                return [try tx.state(namespace: "ns", key: "a"), try tx.state(namespace: "ns", key: "b"), try tx.state(namespace: "ns", key: "absent")]
            }
            #expect(after == [[4], nil, [5]])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func statePrefixListing(kind: StoreKind) async throws {
        try await withStore(kind) { _, store in
            try await store.transaction { tx in
                for key in ["patient/2", "patient/10", "patient/1", "patients", "booking/1", "pat", "patient/é", "patient/\u{10FFFF}x"] {
                    try tx.setState(namespace: "ns", key: key, value: [1])
                }
                try tx.setState(namespace: "elsewhere", key: "patient/3", value: [1])
                try tx.deleteState(namespace: "ns", key: "patient/2")
                // Buffered writes are visible to a listing in the same transaction.
                #expect(try tx.stateKeys(namespace: "ns", prefix: "patient/") == ["patient/1", "patient/10", "patient/é", "patient/\u{10FFFF}x"])
            }
            let listings = try await store.transaction { tx in
                [
                    try tx.stateKeys(namespace: "ns", prefix: "patient/"),
                    try tx.stateKeys(namespace: "ns", prefix: "pat"),
                    try tx.stateKeys(namespace: "ns", prefix: ""),
                    try tx.stateKeys(namespace: "ns", prefix: "zzz"),
                    try tx.stateKeys(namespace: "ns", prefix: "patient/\u{10FFFF}"),
                ]
            }
            #expect(listings[0] == ["patient/1", "patient/10", "patient/é", "patient/\u{10FFFF}x"])
            #expect(listings[1] == ["pat", "patient/1", "patient/10", "patient/é", "patient/\u{10FFFF}x", "patients"])
            #expect(listings[2] == ["booking/1", "pat", "patient/1", "patient/10", "patient/é", "patient/\u{10FFFF}x", "patients"])
            #expect(listings[3] == [])
            #expect(listings[4] == ["patient/\u{10FFFF}x"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func rollbackOnThrowLeavesNothing(kind: StoreKind) async throws {
        try await withStore(kind) { _, store in
            try await store.transaction { tx in try tx.setCapacity(counter: "c", capacity: 5) }
            await #expect(throws: TestFailure.self) {
                try await store.transaction { tx in
                    try tx.markProcessed(group: "g", ids: ["e1"])
                    try tx.setState(namespace: "ns", key: "k", value: [1])
                    try tx.enqueue([OutboxMessage(topic: "t", key: nil, value: [1])])
                    try tx.schedule(DurableTimer(key: "t1", owner: "o", fireAt: 1, payload: []))
                    #expect(try tx.reserve(counter: "c", amount: 2))
                    try tx.setCapacity(counter: "new", capacity: 1)
                    throw TestFailure()
                }
            }
            let left = try await store.transaction { tx in
                (
                    try tx.processed(group: "g", ids: ["e1"]), try tx.state(namespace: "ns", key: "k"),
                    try tx.dueTimers(now: 10, limit: 10), try tx.counter("c")?.used, try tx.counter("new")?.capacity
                )
            }
            #expect(left.0.isEmpty)
            #expect(left.1 == nil)
            #expect(left.2.isEmpty)
            #expect(left.3 == 0)
            #expect(left.4 == nil)
            #expect(try await store.pendingOutbox(limit: 10).isEmpty)
            // Statements first prepared inside the rolled-back transaction still work.
            let reused = try await store.transaction { tx in
                try tx.markProcessed(group: "g", ids: ["e2"])
                try tx.setState(namespace: "ns", key: "k", value: [2])
                try tx.enqueue([OutboxMessage(topic: "t", key: nil, value: [2])])
                try tx.schedule(DurableTimer(key: "t2", owner: "o", fireAt: 1, payload: []))
                return try tx.reserve(counter: "c", amount: 2)
            }
            #expect(reused)
            #expect(try await store.pendingOutbox(limit: 10).map(\.value) == [[2]])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func storeErrorDoomsTheTransactionEvenWhenCaught(kind: StoreKind) async throws {
        try await withStore(kind) { _, store in
            let error = await expectStoreError(.constraint) {
                try await store.transaction { tx in
                    try tx.setState(namespace: "ns", key: "k", value: [1])
                    do {
                        try tx.setCapacity(counter: "c", capacity: -1)  // CHECK (capacity >= 0)
                    } catch let error as StoreError {
                        #expect(error.code == .constraint)
                    }
                    try tx.setState(namespace: "ns", key: "k2", value: [2])
                }
            }
            #expect(error?.message.contains("counters") == true, "\(String(describing: error))")
            let left = try await store.transaction { tx in try tx.stateKeys(namespace: "ns", prefix: "") }
            #expect(left.isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func errorsNeverCarryStoredValues(kind: StoreKind) async throws {
        try await withStore(kind) { _, store in
            let personal = "Jane Doe 1 Rue de la Paix"
            let negative = await expectStoreError(.constraint) {
                try await store.transaction { tx in try tx.setCapacity(counter: personal, capacity: -7) }
            }
            #expect(negative.map { !$0.description.contains("Jane") && !$0.description.contains("-7") } == true)
            let amount = await expectStoreError(.constraint) {
                try await store.transaction { tx in _ = try tx.reserve(counter: personal, amount: -1) }
            }
            #expect(amount.map { !$0.description.contains("Jane") } == true)
            if kind == .postgres {
                // PostgreSQL rejects NUL in text and its own message quotes the bytes: ours must not.
                let nul = await expectStoreError(.other) {
                    try await store.transaction { tx in try tx.setState(namespace: "ns", key: "Jane\u{0}Doe", value: [1]) }
                }
                #expect(nul.map { !$0.description.contains("Jane") && !$0.description.contains("0x00") } == true)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func transactionObjectIsDeadAfterTheTransaction(kind: StoreKind) async throws {
        try await withStore(kind) { _, store in
            final class Leak: @unchecked Sendable { var transaction: (any StoreTransaction)? }
            let leak = Leak()
            try await store.transaction { tx in leak.transaction = tx }
            #expect(throws: StoreError.self) { try leak.transaction?.setState(namespace: "n", key: "k", value: []) }
            leak.transaction = nil
        }
    }
}

@Suite("Inbox retention")
struct InboxRetentionTests {
    @Test(arguments: StoreKind.allCases)
    func aSweepDeletesTheGroupsRowsRecordedBeforeTheCutoffWindowByWindow(kind: StoreKind) async throws {
        try await withStore(kind) { harness, store in
            try await store.transaction { tx in
                try tx.markProcessed(group: "g1", ids: ["a", "b", "c", "d", "e"])
                try tx.markProcessed(group: "g2", ids: ["a"])
            }
            // Backdate a, c and e (and g2's a); b and d stay current.
            try harness.executeRaw("UPDATE inbox SET processed_at = 1000 WHERE event_id IN ('a', 'c', 'e')")
            let cutoff: Int64 = 5000

            // Windows of two rows in event-id order: [a b], [c d], [e].
            let first = try await store.pruneInbox(group: "g1", processedBefore: cutoff, after: "", limit: 2)
            #expect(first == InboxSweep(deleted: 1, next: "b"))
            let second = try await store.pruneInbox(group: "g1", processedBefore: cutoff, after: "b", limit: 2)
            #expect(second == InboxSweep(deleted: 1, next: "d"))
            let last = try await store.pruneInbox(group: "g1", processedBefore: cutoff, after: "d", limit: 2)
            #expect(last == InboxSweep(deleted: 1, next: nil), "a short window is the end")
            let again = try await store.pruneInbox(group: "g1", processedBefore: cutoff, after: "", limit: 10)
            #expect(again == InboxSweep(deleted: 0, next: nil))

            let (g1, g2) = try await store.transaction { tx in
                (try tx.processed(group: "g1", ids: ["a", "b", "c", "d", "e"]), try tx.processed(group: "g2", ids: ["a"]))
            }
            #expect(g1 == ["b", "d"], "rows recorded at or after the cutoff stay")
            #expect(g2 == ["a"], "other groups keep their rows")
            #expect(try await store.pruneInbox(group: "g9", processedBefore: cutoff, after: "", limit: 10) == InboxSweep(deleted: 0, next: nil))
        }
    }
}
