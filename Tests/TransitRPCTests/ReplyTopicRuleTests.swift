import TransitKafka
import TransitRPC
import TransitWire
import Testing

/// The reply-topic rule of docs/CONTRACT.md §6.
@Suite("Reply topic rule")
struct ReplyTopicRuleTests {
    @Test(arguments: [
        ("rpc.replies.matching-app-1", ""), ("rpc.replies.ops_monitor", ""), ("acme.rpc.replies.app-1", "acme."),
        ("rpc.replies." + String(repeating: "a", count: 128), ""),
    ])
    func theStandardRuleAdmitsReplyTopicsOfAClientID(topic: String, prefix: String) {
        #expect(ReplyTopicRule.standard.allows(topic, prefix: prefix))
    }

    @Test(arguments: [
        ("transport.partner.p1.requests.v1", ""), ("trial.access.events.v1", ""), ("trialtransit.audit.v1", ""),
        ("rpc.trialtransit.v1.Health.requests", ""), ("rpc.replies.", ""), ("rpc.replies.a.b", ""),
        ("rpc.replies.a b", ""), ("rpc.replies.ä", ""), ("rpc.replies.app-1", "acme."), ("acme.rpc.replies.app-1", ""),
        ("rpc.replies." + String(repeating: "a", count: 129), ""), ("", ""),
    ])
    func theStandardRuleRefusesEveryOtherTopic(topic: String, prefix: String) {
        #expect(!ReplyTopicRule.standard.allows(topic, prefix: prefix))
    }

    @Test func aPatternMayPutTheClientIDAnywhere() throws {
        let rule = try #require(ReplyTopicRule(pattern: "team-a.replies.*.v1"))
        #expect(rule.allows("x.team-a.replies.app.v1", prefix: "x."))
        #expect(!rule.allows("x.team-a.replies.app.v2", prefix: "x."))
        #expect(rule.topic(clientID: "app", prefix: "") == "team-a.replies.app.v1")
        #expect(rule.topic(clientID: "a.b", prefix: "") == nil)
    }

    @Test(arguments: ["rpc.replies", "rpc.*.replies.*", "rpc replies.*", "rpc/replies.*", ""])
    func aPatternNeedsExactlyOneWildcardAndTopicCharacters(pattern: String) {
        #expect(ReplyTopicRule(pattern: pattern) == nil)
    }

    @Test func aClientRefusesAnIDWhoseReplyTopicNoServerWouldAnswer() {
        let error = #expect(throws: RPCError.self) {
            _ = try RPCClient(client: RPCTestSupport.client, clientID: "team.app", logger: RPCTestSupport.logger)
        }
        #expect(error?.code == .invalidArgument)
    }

    @Test func aRefusalIsAuditedWithTopicNamesAndOffsetsOnly() throws {
        var message = RPCTestSupport.request(method: TrialAccessService.getEnrollment.path, body: Array("patient-1".utf8))
        message.headers = message.headers.filter { $0.name != TransitHeaders.replyTo } + [
            KafkaHeader(name: TransitHeaders.replyTo, string: "transport.partner.p1.requests.v1")
        ]
        let record = ReplyRefusal(message: message).auditRecord(actor: "worker:test", at: 42)
        #expect(record.action == .requestRefused)
        #expect(record.subject == "topic:rpc.requests")
        #expect(record.auditId == "request-refused:rpc.requests/0/7")
        #expect(record.details["reason"] == ReplyRefusal.reasonCode)
        #expect(record.details["reply-to"] == "transport.partner.p1.requests.v1")
        #expect(record.details["method"] == TrialAccessService.getEnrollment.path)
        #expect(!record.details.values.contains { $0.contains("patient-1") }, "neither key nor body")

        message.headers = message.headers.filter { $0.name != TransitHeaders.replyTo } + [
            KafkaHeader(name: TransitHeaders.replyTo, string: "patient p-1 lives at 1 Main St")
        ]
        let odd = ReplyRefusal(message: message).auditRecord(actor: "worker:test", at: 42)
        #expect(odd.details["reply-to"]?.contains("Main") == false)
    }
}
