import PartnerGateway
import Testing

@Suite struct WebhookSignatureTests {
    let signer = WebhookSigner(keyID: "k1", secret: Array("0123456789abcdef0123456789abcdef".utf8))
    let body = Array(#"{"eventId":"e1"}"#.utf8)
    let now: Int64 = 1_767_225_600

    @Test func signatureIsHMACSHA256OfTimestampDotBody() {
        // Computed independently: python3 -c 'import hmac,hashlib; print(hmac.new(
        //   b"0123456789abcdef0123456789abcdef", b"1767225600.{\"eventId\":\"e1\"}", hashlib.sha256).hexdigest())'
        #expect(
            signer.signature(timestamp: now, body: body)
                == "v1=d4af6706c950b02f6275b452cd043a27843a56633ef5c1f374abb9f37aaa2934")
    }

    private func verify(
        keyID: String? = "k1", timestamp: String? = nil, signature: String? = nil, body: [UInt8]? = nil, at: Int64? = nil
    ) -> String? {
        signer.verify(
            keyID: keyID, timestamp: timestamp ?? String(now), signature: signature ?? signer.signature(timestamp: now, body: self.body),
            body: body ?? self.body, nowSeconds: at ?? now, window: .seconds(300))?.code
    }

    @Test func aSignedRequestVerifiesInsideTheWindowOnEitherSide() {
        #expect(verify() == nil)
        #expect(verify(at: now + 300) == nil)
        #expect(verify(at: now - 300) == nil)
    }

    @Test func outsideTheReplayWindowTheRequestIsStale() {
        #expect(verify(at: now + 301) == "STALE_TIMESTAMP")
        #expect(verify(at: now - 301) == "STALE_TIMESTAMP")
    }

    @Test func anotherBodyKeyOrSignatureIsRefused() {
        #expect(verify(body: Array(#"{"eventId":"e2"}"#.utf8)) == "BAD_SIGNATURE")
        #expect(verify(keyID: "k2") == "UNKNOWN_KEY")
        #expect(verify(signature: "v1=zz") == "BAD_SIGNATURE")
        #expect(verify(signature: "v1=" + String(repeating: "0", count: 64)) == "BAD_SIGNATURE")
        let other = WebhookSigner(keyID: "k1", secret: Array("another secret of thirty-two bytes!".utf8))
        #expect(verify(signature: other.signature(timestamp: now, body: body)) == "BAD_SIGNATURE")
        // The timestamp is signed: moving it invalidates the signature.
        #expect(verify(timestamp: String(now + 1)) == "BAD_SIGNATURE")
    }

    @Test func missingOrMalformedHeadersAreRefused() {
        #expect(verify(keyID: nil) == "MISSING_HEADER")
        #expect(verify(timestamp: "yesterday") == "BAD_TIMESTAMP")
    }
}
