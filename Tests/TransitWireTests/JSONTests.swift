import Testing
@testable import TransitWire

@Suite("Proto3 JSON")
struct JSONTests {
    @Test("output: lowerCamelCase names, enum names, 64-bit integers as strings, defaults omitted")
    func output() {
        #expect(
            Samples.consent.jsonString()
                == #"{"scope":"CONSENT_SCOPE_TRANSPORT","version":"TRANSPORT-1.2","grantedAt":"1767312000000","trialId":"NCT01234567"}"#)
        #expect(GeoPoint(latitude: 52.37, longitude: -4.5).jsonString() == #"{"latitude":52.37,"longitude":-4.5}"#)
        #expect(RideCancellation(bookingId: "bk-1", lateCancellation: true).jsonString() == #"{"bookingId":"bk-1","lateCancellation":true}"#)
        #expect(
            Samples.enrollment(.visitCompleted(VisitCompleted(visitId: "v"))).jsonString()
                == #"{"eventId":"5b1f8c2e-7d4a-4e0b-9c3f-1a2b3c4d5e6f","occurredAt":"1767312000000","source":"matching-app","patientRef":"p-7f3a9c","visitCompleted":{"visitId":"v"}}"#
        )
        #expect(
            AuditRecord(details: ["b": "2", "a": "1"], counts: AuditCounts()).jsonString()
                == #"{"details":{"a":"1","b":"2"},"counts":{}}"#)
        #expect(PartnerRideUpdate(sequence: .max).jsonString() == #"{"sequence":"18446744073709551615"}"#)
    }

    @Test("input: original and lowerCamelCase names, enums by name or number, integers as numbers or strings")
    func input() throws {
        let json = #"""
            { "event_id": "e-1", "occurredAt": 1767312000000, "patientRef": "p",
              "patient_referred": { "age_years": "64", "ecog": 0, "mobility": 2, "homeLocation": {"latitude": 5.2e1},
                                    "priorTherapies": ["A", "B"], "consents": [{"scope": "CONSENT_SCOPE_CONTACT"}],
                                    "companions": 1.0, "maxTravelKm": 8e1, "trialId": null } }
            """#
        let event = try EnrollmentEvent(jsonString: json)
        #expect(event.eventId == "e-1")
        #expect(event.occurredAt == 1_767_312_000_000)
        guard case .patientReferred(let r)? = event.body else {
            Issue.record("no body")
            return
        }
        #expect(r.ageYears == 64)
        #expect(r.ecog == 0)
        #expect(r.mobility == .wheelchair)
        #expect(r.homeLocation == GeoPoint(latitude: 52))
        #expect(r.priorTherapies == ["A", "B"])
        #expect(r.consents == [Consent(scope: .contact)])
        #expect(r.companions == 1)
        #expect(r.maxTravelKm == 80)
        #expect(try PartnerRideUpdate(jsonString: #"{"sequence":"18446744073709551615"}"#).sequence == .max)
        #expect(try GeoPoint(jsonString: #"{"latitude":"NaN","longitude":"-Infinity"}"#).longitude == -.infinity)
        #expect(try GeoPoint(jsonString: #"{"latitude":"NaN"}"#).latitude.isNaN)
        #expect(GeoPoint(latitude: .infinity).jsonString() == #"{"latitude":"Infinity"}"#)
    }

    @Test("strings with quotes, control characters and non-ASCII round-trip")
    func escaping() throws {
        let text = "quote \" backslash \\ newline \n tab \t bell \u{7} é 東京 🚕"
        let location = Location(addressText: text)
        #expect(location.jsonString() == #"{"addressText":"quote \" backslash \\ newline \n tab \t bell \u0007 é 東京 🚕"}"#)
        #expect(try Location(jsonString: location.jsonString()) == location)
        #expect(try Location(jsonString: #"{"addressText":"\u00e9\ud83d\ude95\/"}"#).addressText == "é🚕/")
    }

    @Test("errors name the message and the field", arguments: [
        (#"{"nope": 1}"#, #"trialtransit.v1.PatientReferred: unknown field "nope""#),
        (#"{"nope": null}"#, #"trialtransit.v1.PatientReferred: unknown field "nope""#),
        (#"{"ecog": "x"}"#, "trialtransit.v1.PatientReferred.ecog: expected an integer, got a string"),
        (#"{"ecog": 2147483648}"#, "trialtransit.v1.PatientReferred.ecog: not an integer in the range of Int32"),
        (#"{"ecog": 1.5}"#, "trialtransit.v1.PatientReferred.ecog: not an integer in the range of Int32"),
        (#"{"stage": 4}"#, "trialtransit.v1.PatientReferred.stage: expected a string, got a number"),
        (#"{"mobility": "MOBILITY_FLYING"}"#, #"trialtransit.v1.PatientReferred.mobility: unknown trialtransit.v1.Mobility name "MOBILITY_FLYING""#),
        (#"{"biomarkers": {}}"#, "trialtransit.v1.PatientReferred.biomarkers: expected an array, got an object"),
        (#"{"homeLocation": {"lat": 1}}"#, #"trialtransit.v1.GeoPoint: unknown field "lat""#),
        (#"[]"#, "trialtransit.v1.PatientReferred: expected an object, got an array"),
    ])
    func errors(json: String, message: String) {
        #expect(throws: WireError(.invalidJSON, message)) { try PatientReferred(jsonString: json) }
    }

    @Test("a second member of the same oneof is an error")
    func duplicateOneof() {
        #expect(throws: WireError(.invalidJSON, "trialtransit.v1.EnrollmentEvent.visitCancelled: oneof body is already set")) {
            try EnrollmentEvent(jsonString: #"{"visitCompleted": {}, "visitCancelled": {}}"#)
        }
    }

    @Test("malformed JSON is rejected with .invalidJSON", arguments: [
        "", "{", "{\"a\"", "{\"a\":}", "{\"a\":1,}", "[1,]", "{} {}", "{'a':1}", "nul", "{\"a\":01}", "{\"a\":1.}",
        "{\"a\":-}", "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\u{1}\"}", "{\"a\" 1}", "\u{FEFF}{}",
    ])
    func malformed(json: String) {
        #expect(throws: WireError.self) { try PatientReferred(jsonString: json) }
        do {
            _ = try PatientReferred(jsonString: json)
        } catch {
            #expect(error.code == .invalidJSON)
        }
    }

    @Test("invalid UTF-8 and deep nesting are rejected, not crashed on")
    func hostileInput() {
        #expect(throws: WireError.self) { try PatientReferred(jsonUTF8: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]) }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: WireError.self) { try PatientReferred(jsonString: #"{"biomarkers":"# + deep + "}") }
        #expect(throws: WireError.self) { try PatientReferred(jsonString: deep) }
    }

    @Test("unknown enum numbers are kept through JSON")
    func unknownEnumNumber() throws {
        let value = try PatientReferred(jsonString: #"{"mobility": 42}"#)
        #expect(value.mobility.rawValue == 42)
        #expect(value.jsonString() == #"{"mobility":42}"#)
    }

    @Test("map keys and values")
    func maps() throws {
        let record = try AuditRecord(jsonString: #"{"details": {"replay-id": "r-1", "to": "5"}, "action": "AUDIT_ACTION_REDRIVE"}"#)
        #expect(record.details == ["replay-id": "r-1", "to": "5"])
        #expect(record.action == .redrive)
        #expect(throws: WireError.self) { try AuditRecord(jsonString: #"{"details": {"a": 1}}"#) }
    }

    @Test("base64 for bytes fields: standard out, standard or URL-safe in, padding optional")
    func base64() {
        let samples: [[UInt8]] = [[], [0], [0, 1], [0, 1, 2], [0xFB, 0xFF, 0xBF], Array(0...255)]
        for bytes in samples {
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("hello".utf8)) == "aGVsbG8=")
        #expect(Base64.decode("aGVsbG8") == Array("hello".utf8))
        #expect(Base64.decode("-_-_") == Base64.decode("+/+/"))
        #expect(Base64.decode("a") == nil)
        #expect(Base64.decode("aGV*") == nil)
        #expect(Base64.decode("aG=V") == nil)
    }
}
