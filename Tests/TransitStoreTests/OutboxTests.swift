import Testing

@testable import TransitStore

@Suite("Outbox")
struct OutboxTests {
    @Test(arguments: StoreKind.allCases)
    func outboxOrderingPendingAndMarkPublished(kind: StoreKind) async throws {
        try await withStore(kind) { _, store in
            let headers = [OutboxHeader(name: "traceparent", value: Array("00-abc-01".utf8)), OutboxHeader(name: "empty", value: [])]
            let batch1 = (0..<5).map { OutboxMessage(topic: "t\($0 % 2)", key: [UInt8($0)], value: [UInt8($0), 1], headers: headers) }
            let batch2 = [
                OutboxMessage(topic: "t0", key: nil, value: []),
                OutboxMessage(topic: "t1", key: [], value: [7], headers: [OutboxHeader(name: "ünïcode", value: [0, 255])]),
            ]
            try await store.transaction { tx in try tx.enqueue(batch1) }
            try await store.transaction { tx in
                try tx.enqueue([])
                try tx.enqueue(batch2)
            }
            let pending = try await store.pendingOutbox(limit: 100)
            #expect(pending.count == 7)
            let ids = pending.map(\.id)
            #expect(ids == ids.sorted() && Set(ids).count == ids.count && ids.allSatisfy { $0 > 0 })
            let withoutIDs = pending.map { message in
                var message = message
                message.id = 0
                return message
            }
            #expect(withoutIDs == batch1 + batch2)

            let firstThree = try await store.pendingOutbox(limit: 3)
            #expect(firstThree.map(\.id) == Array(ids.prefix(3)))
            #expect(try await store.pendingOutbox(limit: 0).isEmpty)

            try await store.markPublished(Array(ids.prefix(3)))
            try await store.markPublished([])
            try await store.markPublished([ids[0], 999_999])  // already gone, unknown: harmless
            let rest = try await store.pendingOutbox(limit: 100)
            #expect(rest.map(\.id) == Array(ids.dropFirst(3)))

            // Ids keep growing after deletes: a relay never sees an id twice.
            try await store.markPublished(rest.map(\.id))
            try await store.transaction { tx in try tx.enqueue([OutboxMessage(topic: "t", key: nil, value: [1])]) }
            let next = try await store.pendingOutbox(limit: 10)
            #expect(next.count == 1 && next[0].id > ids.max()!)
        }
    }

    /// Marking a scattered subset deletes exactly that subset (runs are deleted as ranges).
    @Test(arguments: StoreKind.allCases)
    func markPublishedDeletesExactlyTheGivenIDs(kind: StoreKind) async throws {
        try await withStore(kind) { _, store in
            try await store.transaction { tx in
                try tx.enqueue((0..<8).map { OutboxMessage(topic: "t", key: nil, value: [UInt8($0)]) })
            }
            let ids = try await store.pendingOutbox(limit: 100).map(\.id)
            #expect(ids.count == 8)
            try await store.markPublished([ids[6], ids[0], ids[2], ids[3], ids[2], ids[7]])
            #expect(try await store.pendingOutbox(limit: 100).map(\.id) == [ids[1], ids[4], ids[5]])
        }
    }

    /// Other writers' earlier rows merge into a read by id; a row read by both statements comes once.
    @Test func earlierRowsOfOtherWritersMergeByIDOnce() {
        func rows(_ ids: [Int64]) -> [OutboxMessage] { ids.map { OutboxMessage(id: $0, topic: "t", key: nil, value: []) } }
        #expect(rows([3, 5]).withEarlierRows([]).map(\.id) == [3, 5])
        #expect(rows([3, 5, 9]).withEarlierRows(rows([1, 4, 5, 8])).map(\.id) == [1, 3, 4, 5, 8, 9])
    }

    @Test func consecutiveRunsGroupSortedDistinctValues() {
        #expect([Int64]().consecutiveRuns() == [])
        #expect([Int64(7), 3, 4, 5, 9, 8, 4].consecutiveRuns() == [3...5, 7...9])
        #expect([Int64(1), 3, 5].consecutiveRuns() == [1...1, 3...3, 5...5])
        #expect([Int64.max, Int64.max - 1].consecutiveRuns() == [(Int64.max - 1)...Int64.max])
    }

    @Test func headerCodingRoundTrips() throws {
        let cases: [[OutboxHeader]] = [
            [],
            [OutboxHeader(name: "", value: [])],
            [OutboxHeader(name: "a", value: [1, 2]), OutboxHeader(name: "a", value: [3])],
            [OutboxHeader(name: String(repeating: "n", count: 300), value: [UInt8](repeating: 9, count: 70_000))],
        ]
        for headers in cases {
            #expect(try OutboxHeaderCoding.decode(OutboxHeaderCoding.encode(headers)) == headers)
        }
        #expect(OutboxHeaderCoding.encode([]) == [])
        // StoredHeaders { headers { name: "ab" value: "\x07" } }
        let ab: [UInt8] = [0x0A, 7, 0x0A, 2, 97, 98, 0x12, 1, 7]
        #expect(OutboxHeaderCoding.encode([OutboxHeader(name: "ab", value: [7])]) == ab)
        // The old varint format behind the migration's 00 marker.
        #expect(try OutboxHeaderCoding.decode([0, 1, 2, 97, 98, 1, 7]) == [OutboxHeader(name: "ab", value: [7])])
    }

    @Test func headerCodingRejectsMalformedBytes() {
        let oldFormat: [[UInt8]] = [
            [1], [1, 2, 97], [1, 1, 97, 5, 1], [200], [1, 0, 0, 0],
            [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
        ]
        for bytes in oldFormat.map({ [0] + $0 }) + [[0x0A, 5, 0x0A], [0xff, 0x01], [0x0A, 2, 0x0A, 9]] {
            #expect(throws: StoreError.self) { try OutboxHeaderCoding.decode(bytes) }
        }
    }
}

@Suite("Outbox writers")
struct OutboxWriterTests {
    /// Two instances on one database stand for two processes: each reads its own rows, plus the
    /// other's once they are older than the orphan cutoff; `.all` reads everything.
    @Test(arguments: StoreKind.allCases)
    func eachInstanceReadsItsOwnRowsAndOrphans(kind: StoreKind) async throws {
        try await withStore(kind) { harness, mine in
            let other = try harness.open()
            try await mine.transaction { tx in try tx.enqueue([OutboxMessage(topic: "t", key: nil, value: [1])]) }
            try await other.transaction { tx in try tx.enqueue([OutboxMessage(topic: "t", key: nil, value: [2])]) }
            try await mine.transaction { tx in try tx.enqueue([OutboxMessage(topic: "t", key: nil, value: [3])]) }
            try harness.executeRaw("UPDATE outbox SET created_at = 1000")

            let own = try await mine.pendingOutbox(after: 0, limit: 10, scope: .own(orphanedBefore: 1000))
            #expect(own.map(\.value) == [[1], [3]], "rows of a live writer are left to it")
            let theirs = try await other.pendingOutbox(after: 0, limit: 10, scope: .own(orphanedBefore: 1000))
            #expect(theirs.map(\.value) == [[2]])
            let withOrphans = try await mine.pendingOutbox(after: 0, limit: 10, scope: .own(orphanedBefore: 1001))
            #expect(withOrphans.map(\.value) == [[1], [2], [3]], "older than the cutoff: orphaned")
            #expect(try await mine.pendingOutbox(after: 0, limit: 10, scope: .all).map(\.value) == [[1], [2], [3]])
            #expect(try await mine.pendingOutbox(after: own[0].id, limit: 10, scope: .own(orphanedBefore: 1000)).map(\.value) == [[3]])
            try await other.close()
        }
    }

    /// Two writers of one key (two processes whose handlers write outputs for one patient): a
    /// writer's read brings the other writers' pending rows of the same topic and key that precede
    /// one of its rows (also below its cursor), by id, so that its relay sends them first; rows of
    /// other keys and topics and rows without a key stay with their writer.
    @Test(arguments: StoreKind.allCases)
    func aReadBringsOtherWritersEarlierRowsOfTheSameKeyFirst(kind: StoreKind) async throws {
        try await withStore(kind) { harness, a in
            let b = try harness.open()
            let claimA = try await a.claim(group: "g", topic: "in", partition: 0)
            let claimB = try await b.claim(group: "g", topic: "in", partition: 1)
            @Sendable func row(_ topic: String, _ key: String?, _ value: String, _ source: PartitionClaim?) -> OutboxMessage {
                OutboxMessage(topic: topic, key: key.map { Array($0.utf8) }, value: Array(value.utf8), source: source)
            }
            try await a.transaction(holding: [claimA]) { tx in
                try tx.enqueue([
                    row("T", "k1", "k1-a1", claimA), row("T", "k3", "k3-a", claimA), row("T", nil, "a-null", claimA),
                    row("U", "k1", "k1-a-other-topic", claimA),
                ])
            }
            try await a.transaction { tx in try tx.enqueue([row("T", "k1", "k1-a2", nil)]) }
            try await b.transaction(holding: [claimB]) { tx in
                try tx.enqueue([row("T", "k1", "k1-b1", claimB), row("T", "k2", "k2-b", claimB), row("T", nil, "b-null", claimB)])
            }
            let all = try await a.pendingOutbox(after: 0, limit: 10, scope: .all)
            #expect(all.count == 8)
            let values = { (rows: [OutboxMessage]) in rows.map { String(decoding: $0.value, as: UTF8.self) } }
            let live = Int64.min  // no row is an orphan
            let cursor = all[4].id  // past every row of A's

            let read = try await b.pendingOutbox(after: cursor, limit: 10, scope: .own(orphanedBefore: live))
            #expect(values(read) == ["k1-a1", "k1-a2", "k1-b1", "k2-b", "b-null"])
            #expect(read.map(\.id) == read.map(\.id).sorted())
            #expect(read.first?.source == claimA, "a row read for its key keeps the claim that wrote it")
            let first = try await b.pendingOutbox(after: cursor, limit: 1, scope: .own(orphanedBefore: live))
            #expect(values(first) == ["k1-a1", "k1-a2", "k1-b1"], "the limit counts the reader's rows")
            #expect(try await b.pendingOutbox(after: read[2].id, limit: 10, scope: .own(orphanedBefore: live)).map(\.id) == [read[3].id, read[4].id])

            // A row of A's without a partition that turned orphan after B's cursor passed it (A
            // stopped) still goes ahead of B's row of its key.
            let orphaned = try await b.pendingOutbox(after: cursor, limit: 10, scope: .own(orphanedBefore: .max))
            #expect(values(orphaned) == values(read))

            // A's read: its own rows only (none of B's precedes them).
            let own = try await a.pendingOutbox(after: 0, limit: 10, scope: .own(orphanedBefore: live))
            #expect(values(own) == ["k1-a1", "k3-a", "a-null", "k1-a-other-topic", "k1-a2"])

            // Once published (by either relay), a row is no longer read ahead of B's.
            try await b.markPublished([read[0].id])
            #expect(values(try await b.pendingOutbox(after: cursor, limit: 10, scope: .own(orphanedBefore: live))) == ["k1-a2", "k1-b1", "k2-b", "b-null"])
            try await b.close()
        }
    }
}
