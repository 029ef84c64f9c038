import Testing

@testable import TransitStore

/// Partition claims: a later claim fences the transactions holding an earlier one, and hands the
/// partition's pending outbox rows, whoever wrote them, to the new claimant's relay.
@Suite("Partition claims")
struct PartitionClaimTests {
    @Test(arguments: StoreKind.allCases)
    func aLaterClaimFencesTheEarlierHolderAndTakesTheRowsOfItsPartition(kind: StoreKind) async throws {
        try await withStore(kind) { harness, old in
            let new = try harness.open()
            let first = try await old.claim(group: "g", topic: "in", partition: 0)
            let other = try await old.claim(group: "g", topic: "in", partition: 1)
            #expect(first.epoch == 1 && other.epoch == 1)
            try await old.transaction(holding: [first, other]) { tx in
                try tx.setState(namespace: "n", key: "k", value: [1])
                try tx.enqueue([
                    OutboxMessage(topic: "out", key: [1], value: [1], source: first),
                    OutboxMessage(topic: "out", key: [2], value: [2], source: other),
                    OutboxMessage(topic: "out", key: [3], value: [3]),
                ])
            }
            let second = try await new.claim(group: "g", topic: "in", partition: 0)
            #expect(second.epoch == 2)

            // The earlier holder's transactions are refused and write nothing.
            await #expect {
                try await old.transaction(holding: [first]) { tx in try tx.setState(namespace: "n", key: "k", value: [2]) }
            } throws: { error in
                (error as? StoreError)?.code == .fenced && (error as? StoreError)?.fencedClaims == [first]
            }
            #expect(try await new.transaction { try $0.state(namespace: "n", key: "k") } == [1])

            // Partition 0's row is the new claimant's, whoever wrote it; partition 1's and the row
            // without a partition stay with their writer.
            let live = Int64.min
            let newOwn = try await new.pendingOutbox(after: 0, limit: 10, scope: .own(orphanedBefore: live))
            #expect(newOwn.map(\.value) == [[1]])
            #expect(newOwn.first?.source == first, "the row keeps the claim that wrote it")
            let oldOwn = try await old.pendingOutbox(after: 0, limit: 10, scope: .own(orphanedBefore: live))
            #expect(oldOwn.map(\.value) == [[2], [3]])

            // The new claimant writes, and its rows follow the earlier ones.
            try await new.transaction(holding: [second]) { tx in
                try tx.enqueue([OutboxMessage(topic: "out", key: [1], value: [4], source: second)])
            }
            #expect(try await new.pendingOutbox(after: 0, limit: 10, scope: .own(orphanedBefore: live)).map(\.value) == [[1], [4]])
            try await new.close()
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aDeadLetterReplacingARowStaysWithItsPartition(kind: StoreKind) async throws {
        try await withStore(kind) { harness, store in
            let claim = try await store.claim(group: "g", topic: "in", partition: 3)
            try await store.transaction(holding: [claim]) { tx in
                try tx.enqueue([OutboxMessage(topic: "out", key: nil, value: [1], source: claim)])
            }
            let row = try #require(try await store.pendingOutbox(limit: 1).first)
            try await store.replaceOutbox(row.id, with: OutboxMessage(topic: "dlq", key: nil, value: [9], source: claim))
            #expect(try await store.pendingOutbox(limit: 10).map(\.source) == [claim])
        }
    }
}
