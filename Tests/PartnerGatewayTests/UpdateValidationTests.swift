import Foundation
import PartnerGateway
import Testing
import TransitWire

@Suite struct UpdateValidationTests {
    func body(_ overrides: [String: Any] = [:], dropping: String? = nil) -> [UInt8] {
        var fields: [String: Any] = [
            "eventId": "e1", "occurredAt": "1767312310000", "partnerId": "wh-taxi", "bookingId": "bk-1", "legId": "outbound-1",
            "status": "RIDE_STATUS_ACCEPTED", "sequence": "1",
        ]
        fields.merge(overrides) { _, new in new }
        if let dropping { fields[dropping] = nil }
        return Array(try! JSONSerialization.data(withJSONObject: fields))
    }

    func refusal(_ body: [UInt8]) -> UpdateRefusal? {
        do {
            _ = try UpdateValidation.update(partnerID: "wh-taxi", body: body)
            return nil
        } catch { return error }
    }

    @Test func aWellFormedUpdatePasses() throws {
        let update = try UpdateValidation.update(partnerID: "wh-taxi", body: body())
        #expect(update.status == .accepted && update.sequence == 1 && update.bookingId == "bk-1")
    }

    @Test func eachRuleNamesItsField() {
        #expect(refusal(Array("not json".utf8))?.code == "INVALID_JSON")
        #expect(refusal(body(["colour": "red"]))?.status == 400)
        for field in ["eventId", "occurredAt", "bookingId", "legId"] {
            #expect(refusal(body(dropping: field)).map { [$0.code, $0.field] } == ["MISSING_FIELD", field])
        }
        #expect(refusal(body(["partnerId": "other"]))?.field == "partnerId")
        #expect(refusal(body(["sequence": "0"]))?.code == "INVALID_SEQUENCE")
        #expect(refusal(body(["status": "RIDE_STATUS_OFFERED"]))?.code == "STATUS_NOT_ALLOWED")
        #expect(refusal(body(["status": "RIDE_STATUS_OFFERED"]))?.status == 422)
    }
}
