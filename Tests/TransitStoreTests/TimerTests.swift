import Testing

@testable import TransitStore

@Suite("Durable timers")
struct TimerTests {
    @Test(arguments: StoreKind.allCases)
    func scheduleReplaceCancelAndDueOrdering(kind: StoreKind) async throws {
        try await withStore(kind) { _, store in
            try await store.transaction { tx in
                try tx.schedule(DurableTimer(key: "b", owner: "o1", fireAt: 200, payload: [2]))
                try tx.schedule(DurableTimer(key: "a", owner: "o1", fireAt: 200, payload: [1]))
                try tx.schedule(DurableTimer(key: "c", owner: "o2", fireAt: 100, payload: []))
                try tx.schedule(DurableTimer(key: "late", owner: "o1", fireAt: 10_000, payload: [9]))
                try tx.schedule(DurableTimer(key: "gone", owner: "o1", fireAt: 50, payload: [0]))
                try tx.cancelTimer(key: "gone")
                try tx.cancelTimer(key: "never-there")
                // Pending writes are visible to dueTimers in the same transaction.
                #expect(try tx.dueTimers(now: 150, limit: 10).map(\.key) == ["c"])
            }
            let due = try await store.transaction { tx in try tx.dueTimers(now: 200, limit: 10) }
            #expect(
                due == [
                    DurableTimer(key: "c", owner: "o2", fireAt: 100, payload: []),
                    DurableTimer(key: "a", owner: "o1", fireAt: 200, payload: [1]),
                    DurableTimer(key: "b", owner: "o1", fireAt: 200, payload: [2]),
                ])
            #expect(try await store.transaction { tx in try tx.dueTimers(now: 200, limit: 2) }.map(\.key) == ["c", "a"])
            // By owner: the limit counts only that owner's timers, however many others are due first.
            #expect(try await store.transaction { tx in try tx.dueTimers(owner: "o1", now: 200, limit: 1) }.map(\.key) == ["a"])
            #expect(try await store.transaction { tx in try tx.dueTimers(owner: "o2", now: 200, limit: 10) }.map(\.key) == ["c"])
            #expect(try await store.transaction { tx in try tx.dueTimers(owner: "nobody", now: 200, limit: 10) }.isEmpty)
            #expect(try await store.transaction { tx in try tx.dueTimers(now: 99, limit: 10) }.isEmpty)
            #expect(try await store.transaction { tx in try tx.dueTimers(now: 200, limit: 0) }.isEmpty)

            // Scheduling the same key replaces the timer.
            try await store.transaction { tx in
                try tx.schedule(DurableTimer(key: "c", owner: "o3", fireAt: 5_000, payload: [3]))
                try tx.cancelTimer(key: "a")
            }
            let after = try await store.transaction { tx in try tx.dueTimers(now: 20_000, limit: 10) }
            #expect(
                after == [
                    DurableTimer(key: "b", owner: "o1", fireAt: 200, payload: [2]),
                    DurableTimer(key: "c", owner: "o3", fireAt: 5_000, payload: [3]),
                    DurableTimer(key: "late", owner: "o1", fireAt: 10_000, payload: [9]),
                ])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func timersSurviveReopeningTheStore(kind: StoreKind) async throws {
        try await withStore(kind) { harness, store in
            try await store.transaction { tx in
                try tx.schedule(DurableTimer(key: "offer-timeout/b1", owner: "transport", fireAt: 1_000, payload: [1, 2]))
                try tx.schedule(DurableTimer(key: "slot-expiry/s1", owner: "trial-access", fireAt: 2_000, payload: [3]))
            }
            try await store.close()
            await expectStoreError(.closed) { _ = try await store.pendingOutbox(limit: 1) }

            let reopened = try harness.open()
            try await reopened.migrate()
            let due = try await reopened.transaction { tx in try tx.dueTimers(now: 5_000, limit: 10) }
            #expect(due.map(\.key) == ["offer-timeout/b1", "slot-expiry/s1"])
            #expect(due.first?.payload == [1, 2])
            try await reopened.close()
        }
    }

    @Test func postgresTimersAreClaimedByOneTransactionAtATime() async throws {
        let harness = try StoreHarness.make(.postgres)
        defer { harness.destroy() }
        let store = try await harness.openMigrated(connections: 2)
        try await store.transaction { tx in
            for index in 0..<4 { try tx.schedule(DurableTimer(key: "t\(index)", owner: "o", fireAt: 10, payload: [])) }
        }
        // Two transactions on two connections read due timers while both are open: disjoint sets.
        let firstRead = Gate()
        let secondRead = Gate()
        async let first = store.transaction { tx -> [String] in
            let keys = try tx.dueTimers(now: 100, limit: 2).map(\.key)
            firstRead.open()
            secondRead.wait()
            return keys
        }
        async let second = store.transaction { tx -> [String] in
            firstRead.wait()
            let keys = try tx.dueTimers(now: 100, limit: 10).map(\.key)
            secondRead.open()
            return keys
        }
        let (a, b) = try await (first, second)
        #expect(a == ["t0", "t1"])
        #expect(b == ["t2", "t3"])
        try await store.close()
    }
}
