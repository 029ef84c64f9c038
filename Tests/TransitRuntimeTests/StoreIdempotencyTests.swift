import Testing
import TransitRPC

@testable import TransitRuntime

/// The stored form of idempotency answers: the current one round-trips with its digest; rows of the
/// first format (no digest) stay readable and then match no request.
@Suite("Stored idempotency answers")
struct StoreIdempotencyTests {
    @Test func theCurrentFormatKeepsTheDigest() throws {
        let digest = RPCIdempotency.digest(of: [1, 2, 3])
        let answer = RPCStoredAnswer(status: 3, message: "nope", body: [9, 8], requestDigest: digest)
        #expect(StoreIdempotency.decode(StoreIdempotency.encode(answer)) == answer)
        let empty = RPCStoredAnswer(status: 0, message: nil, body: [], requestDigest: digest)
        #expect(StoreIdempotency.decode(StoreIdempotency.encode(empty)) == empty)
    }

    @Test func aRowOfTheFirstFormatReadsWithoutADigest() throws {
        // status 0, no message, body [7, 7]: as the first format wrote it.
        let old: [UInt8] = [0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 7, 7]
        let answer = try #require(StoreIdempotency.decode(old))
        #expect(answer == RPCStoredAnswer(status: 0, message: nil, body: [7, 7], requestDigest: nil))
        let withMessage = StoreIdempotency.encodeFirstFormat(RPCStoredAnswer(status: 9, message: "m", body: []))
        #expect(StoreIdempotency.decode(withMessage)?.message == "m")
        #expect(StoreIdempotency.decode(withMessage)?.requestDigest == nil)
    }
}
