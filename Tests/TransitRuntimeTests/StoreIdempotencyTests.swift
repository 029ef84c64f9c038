import Testing
import TransitRPC
import TransitStore
import TransitTestSupport

@testable import TransitRuntime

/// The stored form of idempotency answers: a `StoredAnswer` protobuf that round-trips with its
/// digest; rows of the two older binary formats stay readable and are never written.
@Suite("Stored idempotency answers")
struct StoreIdempotencyTests {
    static let digest = RPCIdempotency.digest(of: [1, 2, 3])

    /// The second format: marker, digest, then the first format.
    static func secondFormat(status: UInt8, body: [UInt8]) -> [UInt8] {
        [0xFF, 0x49, 0x4B, 0x02] + digest + [status, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF] + body
    }

    @Test func theCurrentFormatKeepsTheDigest() throws {
        let answer = RPCStoredAnswer(status: 3, message: "nope", body: [9, 8], requestDigest: Self.digest)
        let bytes = StoreIdempotency.encode(answer)
        #expect(bytes.starts(with: [0x0A, 0x20]))
        #expect(StoreIdempotency.decode(bytes) == answer)
        for status: Int32 in [0, 8, 10, 16] {
            for message in [nil, "", "m"] {
                let other = RPCStoredAnswer(status: status, message: message, body: [], requestDigest: Self.digest)
                #expect(StoreIdempotency.decode(StoreIdempotency.encode(other)) == other)
            }
        }
    }

    @Test func rowsOfTheOlderFormatsAreRead() throws {
        // status 0, no message, body [7, 7]: as the first format wrote it.
        let first: [UInt8] = [0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 7, 7]
        #expect(StoreIdempotency.decode(first) == RPCStoredAnswer(status: 0, message: nil, body: [7, 7]))
        // status 10 (its first byte is the new format's first byte), message "m".
        let withMessage: [UInt8] = [10, 0, 0, 0, 1, 0, 0, 0, UInt8(ascii: "m")]
        #expect(StoreIdempotency.decode(withMessage) == RPCStoredAnswer(status: 10, message: "m", body: []))
        let second = Self.secondFormat(status: 6, body: [1])
        #expect(
            StoreIdempotency.decode(second)
                == RPCStoredAnswer(status: 6, message: nil, body: [1], requestDigest: Self.digest))
    }

    /// An answer stored by an earlier version answers the retry on SQLite and PostgreSQL.
    @Test(arguments: StoreKind.allCases)
    func anOldRowInTheStoreAnswersTheRetry(_ kind: StoreKind) async throws {
        let database = try await TestDatabase.make(kind)
        defer { database.destroy() }
        let store = try await database.open()
        let old = Self.secondFormat(status: 0, body: [4, 2])
        try await store.transaction { transaction in
            try transaction.setState(namespace: StoreIdempotency.namespace, key: "/s/M|key-1", value: old)
        }
        let answer = try await store.transaction { transaction in
            try StoreIdempotency(transaction: transaction).answer(method: "/s/M", key: "key-1")
        }
        try await store.close()
        #expect(answer == RPCStoredAnswer(status: 0, message: nil, body: [4, 2], requestDigest: Self.digest))
    }
}
