import Foundation
import PartnerGateway
import Testing

@Suite struct WebhookPartnerFileTests {
    /// Writes a partner file (and a secret file beside it) into a fresh folder and loads it.
    func load(
        webhook: [String: String]?, secret: String = String(repeating: "s", count: 40), allowPlainHTTP: Bool = false
    ) throws -> [WebhookPartner] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data((secret + "\n").utf8).write(to: folder.appendingPathComponent("wh.secret"))
        var entry: [String: Any] = ["id": "wh-taxi", "priority": 1]
        entry["webhook"] = webhook
        let file = folder.appendingPathComponent("partners.json")
        try JSONSerialization.data(withJSONObject: ["version": 1, "partners": [entry, ["id": "kafka-taxi"]]]).write(to: file)
        return try WebhookPartnerFile.load(contentsOf: file, allowPlainHTTP: allowPlainHTTP)
    }

    @Test func aWebhookEntryIsReadWithItsSecretAndKafkaPartnersAreLeftAlone() throws {
        let partners = try load(webhook: ["url": "https://partner.example/hooks", "key_id": "k1", "secret_file": "wh.secret"])
        #expect(partners.map(\.id) == ["wh-taxi"])
        #expect(partners[0].signer.keyID == "k1")
        // The trailing newline is not part of the secret.
        let expected = WebhookSigner(keyID: "k1", secret: Array(String(repeating: "s", count: 40).utf8))
        #expect(partners[0].signer.signature(timestamp: 1, body: [1]) == expected.signature(timestamp: 1, body: [1]))
    }

    @Test func plainHTTPIsRefusedUnlessAllowedAndThenOnlyToALoopbackHost() throws {
        let local = ["url": "http://127.0.0.1:8099/h", "key_id": "k", "secret_file": "wh.secret"]
        do {
            _ = try load(webhook: local)
            Issue.record("no error")
        } catch { #expect(String(describing: error).contains("needs --allow-plain-http-webhooks")) }
        #expect(try load(webhook: local, allowPlainHTTP: true).count == 1)
        #expect(throws: WebhookPartnerFileError.self) {
            try load(webhook: ["url": "http://partner.example/h", "key_id": "k", "secret_file": "wh.secret"], allowPlainHTTP: true)
        }
    }

    @Test func aMissingKeyOrShortSecretIsRefusedWithItsField() {
        do {
            _ = try load(webhook: ["url": "https://p.example/h", "secret_file": "wh.secret"])
            Issue.record("no error")
        } catch { #expect(String(describing: error).contains("webhook.key_id")) }
        do {
            _ = try load(webhook: ["url": "https://p.example/h", "key_id": "k", "secret_file": "wh.secret"], secret: "short")
            Issue.record("no error")
        } catch { #expect(String(describing: error).contains("at least 32 bytes")) }
    }
}
