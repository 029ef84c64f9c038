import Testing
import TransitWire

@Suite("Round trips")
struct RoundTripTests {
    @Test("every envelope body and payload survives encode -> decode, views and JSON")
    func everyMessageRoundTrips() throws {
        let messages = Samples.everyMessage
        #expect(messages.count == 10 + 3 + 6 + 6 + 3 + 4 + 2)  // + the immunotherapy trial and referral
        for message in messages {
            try roundTrip(message)
        }
    }

    private func roundTrip<M: WireMessage>(_ message: M) throws {
        let bytes = message.wireBytes()
        #expect(!bytes.isEmpty, "\(M.protoName)")
        #expect(message.wireBytes() == bytes, "encoding is deterministic")
        #expect(try M(wireBytes: bytes) == message, "\(M.protoName)")
        #expect(try M(wireBytes: ([0xFF] + bytes + [0xFF])[1...bytes.count]) == message, "decodes from a slice")
        #expect(try M.decodeView(bytes).materialize() == message, "\(M.protoName) view")
        #expect(try M(jsonString: message.jsonString()) == message, "\(M.protoName) JSON: \(message.jsonString())")
    }

    /// The decode arena's first chunk is at most 64 KiB: this message needs several more chunks,
    /// one of them larger than doubling gives (the 200,000-byte string).
    @Test("a message larger than the decode arena's first chunk decodes as a value and as a view")
    func messageOutgrowingTheFirstArenaChunk() throws {
        var referral = Samples.referral
        referral.priorTherapies = (0..<6_000).map { "THERAPY-\($0)" }
        referral.referringOrganizationId = String(repeating: "o", count: 200_000)
        let bytes = referral.wireBytes()
        #expect(try PatientReferred(wireBytes: bytes) == referral)
        let view = try PatientReferred.decodeView(bytes)
        #expect(Array(view.priorTherapies) == referral.priorTherapies)
        #expect(view.referringOrganizationId.utf8.count == 200_000)
        #expect(view.materialize() == referral)
    }

    @Test("the default message encodes to zero bytes and decodes from them")
    func emptyMessage() throws {
        #expect(EnrollmentEvent().wireBytes() == [])
        #expect(try EnrollmentEvent(wireBytes: [UInt8]()) == EnrollmentEvent())
        #expect(try EnrollmentEvent.decodeView([UInt8]()).body == nil)
        #expect(EnrollmentEvent().jsonString() == "{}")
    }

    @Test("ecog = 0 and an unset ecog differ on the wire, in values, views and JSON")
    func presenceOfZero() throws {
        let zero = PatientReferred(ecog: 0)
        let unset = PatientReferred()
        #expect(zero.wireBytes() == [0x38, 0x00])  // field 7, varint 0
        #expect(unset.wireBytes() == [])
        #expect(try PatientReferred(wireBytes: zero.wireBytes()).ecog == 0)
        #expect(try PatientReferred(wireBytes: unset.wireBytes()).ecog == nil)
        #expect(try PatientReferred.decodeView(zero.wireBytes()).ecog == 0)
        #expect(try PatientReferred.decodeView(unset.wireBytes()).ecog == nil)
        #expect(zero.jsonString() == #"{"ecog":0}"#)
        #expect(try PatientReferred(jsonString: #"{"ecog":0}"#).ecog == 0)
        #expect(try PatientReferred(jsonString: #"{"ecog":null}"#).ecog == nil)
        #expect(EligibilityCriteria(maxEcog: 0).wireBytes() == [0x30, 0x00])
        #expect(try PatientReferred(wireBytes: PatientReferred(ageYears: 0).wireBytes()).ageYears == 0)
    }

    @Test("an unknown enum number survives decode -> encode, in views and JSON")
    func unknownEnumNumber() throws {
        let bytes: [UInt8] = [0x60, 0x2A]  // PatientReferred.mobility (12) = 42, unknown
        let value = try PatientReferred(wireBytes: bytes)
        #expect(value.mobility.rawValue == 42)
        #expect(value.mobility.name == nil)
        #expect(!value.mobility.isKnown)
        #expect(value.mobility.description == "42")
        #expect(value.wireBytes() == bytes)
        #expect(try PatientReferred.decodeView(bytes).mobility == Mobility(rawValue: 42))
        #expect(value.jsonString() == #"{"mobility":42}"#)
        #expect(try PatientReferred(jsonString: value.jsonString()) == value)

        let negative = PatientReferred(mobility: Mobility(rawValue: -3))
        #expect(negative.wireBytes().count == 11, "negative enums take a 10-byte varint")
        #expect(try PatientReferred(wireBytes: negative.wireBytes()).mobility.rawValue == -3)
    }

    @Test("unknown fields (every wire type) are skipped safely and not re-encoded")
    func unknownFields() throws {
        let event = Samples.enrollment(.visitCompleted(VisitCompleted(visitId: "v-1", trialId: "t", completedAt: 5)))
        let unknown: [UInt8] = [
            0x98, 0x06, 0x01,  // field 99, varint 1
            0xA2, 0x06, 0x03, 0x61, 0x62, 0x63,  // field 100, length-delimited "abc"
            0xAD, 0x06, 0x01, 0x02, 0x03, 0x04,  // field 101, fixed32
            0xB1, 0x06, 1, 2, 3, 4, 5, 6, 7, 8,  // field 102, fixed64
            0x32, 0x00,  // field 6 (kept free in envelopes), empty
        ]
        let bytes = event.wireBytes()
        #expect(try EnrollmentEvent(wireBytes: unknown + bytes) == event)
        #expect(try EnrollmentEvent(wireBytes: bytes + unknown) == event)
        #expect(try EnrollmentEvent(wireBytes: bytes + unknown).wireBytes() == bytes)
        #expect(try EnrollmentEvent.decodeView(bytes + unknown).materialize() == event)
    }

    @Test("a body this build does not know decodes as no body (it goes to the DLQ as UNKNOWN_BODY)")
    func unknownBody() throws {
        let envelope = EnrollmentEvent(eventId: "e-1", patientRef: "p-1")
        let future: [UInt8] = [0xF2, 0x01, 0x02, 0x08, 0x01]  // field 30, a message {1: 1}
        let decoded = try EnrollmentEvent(wireBytes: envelope.wireBytes() + future)
        #expect(decoded == envelope)
        #expect(decoded.body == nil)
        // A view tells "no body" (NO_BODY) from "a body this build does not know" (UNKNOWN_BODY).
        let view = try EnrollmentEvent.decodeView(envelope.wireBytes() + future)
        #expect(view.body == nil)
        #expect(view.unknownFieldNumbers == [30])
        #expect(try EnrollmentEvent.decodeView(envelope.wireBytes()).unknownFieldNumbers == [])
    }

    @Test("the last of two oneof members on the wire wins, as protobuf requires")
    func lastOneofMemberWins() throws {
        let first = Samples.enrollment(.visitCompleted(VisitCompleted(visitId: "v-1")))
        let second = Samples.enrollment(.patientWithdrawn(PatientWithdrawn(trialId: "t-1")))
        let decoded = try EnrollmentEvent(wireBytes: first.wireBytes() + second.wireBytes())
        #expect(decoded == second)
    }

    @Test("strings keep any Unicode; invalid UTF-8 from the wire is replaced, never a crash")
    func strings() throws {
        let text = "Zürich — 東京 🚕 \u{7}"
        #expect(try Location(wireBytes: Location(addressText: text).wireBytes()).addressText == text)
        let invalid: [UInt8] = [0x12, 0x03, 0x61, 0xFF, 0x62]  // address_text = "a\xFFb"
        #expect(try Location(wireBytes: invalid).addressText == "a\u{FFFD}b")
        #expect(try Location.decodeView(invalid).addressText == "a\u{FFFD}b")
    }

    @Test("strings of every short length, ASCII or not, valid or not, decode the same through values and views")
    func stringLengths() throws {
        for length in 0...40 {
            for unit in ["a", "é", "🚕"] {
                let text = String(repeating: unit, count: length)
                let bytes = Location(addressText: text).wireBytes()
                #expect(try Location(wireBytes: bytes).addressText == text)
                #expect(try Location.decodeView(bytes).addressText == text)
            }
            // `length` ASCII bytes with an invalid byte in the middle: replaced, never a crash.
            guard length > 0 else { continue }
            var raw = [UInt8](repeating: UInt8(ascii: "x"), count: length)
            raw[length / 2] = 0xFF
            let bytes: [UInt8] = [0x12, UInt8(length)] + raw
            var expected = String(repeating: "x", count: length - 1)
            expected.insert("\u{FFFD}", at: expected.index(expected.startIndex, offsetBy: length / 2))
            #expect(try Location(wireBytes: bytes).addressText == expected)
            #expect(try Location.decodeView(bytes).addressText == expected)
        }
    }

    @Test("map entries encode sorted by key; decoding accepts any order and keeps the last duplicate")
    func maps() throws {
        let bytes = Samples.audit.wireBytes()
        #expect(try AuditRecord(wireBytes: bytes).details == Samples.audit.details)
        let entry = { (key: String, value: String) -> [UInt8] in
            let body = [0x0A, UInt8(key.utf8.count)] + Array(key.utf8) + [0x12, UInt8(value.utf8.count)] + Array(value.utf8)
            return [0x32, UInt8(body.count)] + body
        }
        let decoded = try AuditRecord(wireBytes: entry("b", "1") + entry("a", "2") + entry("b", "3"))
        #expect(decoded.details == ["a": "2", "b": "3"])
        #expect(decoded.wireBytes() == entry("a", "2") + entry("b", "3"))
    }

    @Test("large messages: many fields, long strings and deep lists grow the encode arena correctly")
    func largeMessages() throws {
        let long = String(repeating: "0123456789abcdef", count: 8_192)  // 128 KiB
        let referral = PatientReferred(
            referralId: long, stage: "IV",
            biomarkers: (0..<500).map { BiomarkerResult(code: "M\($0)", value: Double($0), unit: String(repeating: "u", count: $0 % 40)) },
            priorTherapies: (0..<2_000).map { "THERAPY_\($0)" }, referringOrganizationId: long + "!")
        let bytes = referral.wireBytes()
        #expect(bytes.count > 2 * long.utf8.count)
        #expect(try PatientReferred(wireBytes: bytes) == referral)
        let view = try PatientReferred.decodeView(bytes)
        #expect(view.priorTherapies.count == 2_000)
        #expect(view.priorTherapies[1_999] == "THERAPY_1999")
        #expect(view.biomarkers[499].unit == String(repeating: "u", count: 499 % 40))
        #expect(try PatientReferred(jsonString: referral.jsonString()) == referral)

        var audit = AuditRecord(auditId: "a")
        for i in 0..<1_000 { audit.details["key-\(i)"] = String(repeating: "v", count: i) }
        #expect(try AuditRecord(wireBytes: audit.wireBytes()) == audit)
    }
}
