import Testing
import TransitWire

/// A seeded generator (SplitMix64), so failures reproduce.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Bad input never crashes")
struct MalformedInputTests {
    /// Decodes `bytes` as `M` in every way; returns whether it decoded. Any error must be a
    /// `.truncatedOrInvalid` WireError; a success must be usable (re-encode, view, JSON).
    @discardableResult
    private func probe<M: WireMessage>(_: M.Type, _ bytes: [UInt8]) -> Bool {
        let value: M
        do {
            value = try M(wireBytes: bytes)
        } catch {
            #expect(error.code == .truncatedOrInvalid)
            #expect(!error.isRetriable)
            #expect(throws: WireError.self, "decodeView agrees") { try M.decodeView(bytes) }
            return false
        }
        #expect((try? M.decodeView(bytes))?.materialize() == value)
        #expect((try? M(wireBytes: value.wireBytes())) == value)
        _ = value.jsonString()
        return true
    }

    @discardableResult
    private func probe<M: WireMessage>(like _: M, _ bytes: [UInt8]) -> Bool { probe(M.self, bytes) }

    @Test("every truncation of every sample decodes or throws .truncatedOrInvalid")
    func truncated() throws {
        var rejected = 0
        var total = 0
        for message in Samples.everyMessage {
            let bytes = message.wireBytes()
            for end in 0..<bytes.count {
                total += 1
                if !probe(like: message, Array(bytes[..<end])) { rejected += 1 }
            }
        }
        #expect(rejected > total / 2, "most cuts fall inside a field")
        // A cut inside the nested body is always detected.
        let referral = Samples.enrollment(.patientReferred(Samples.referral)).wireBytes()
        #expect(throws: WireError.self) { try EnrollmentEvent(wireBytes: Array(referral.dropLast())) }
    }

    @Test("5,000 seeded random buffers never crash a decoder")
    func randomBuffers() {
        var random = SeededRandom(seed: 20_260_102)
        var decoded = 0
        for i in 0..<5_000 {
            let count = Int.random(in: 0...600, using: &random)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            switch i % 5 {
            case 0: if probe(EnrollmentEvent.self, bytes) { decoded += 1 }
            case 1: if probe(TrialDefinition.self, bytes) { decoded += 1 }
            case 2: if probe(AuditRecord.self, bytes) { decoded += 1 }
            case 3: if probe(BookingEvent.self, bytes) { decoded += 1 }
            default: if probe(PatientReferred.self, bytes) { decoded += 1 }
            }
        }
        #expect(decoded < 5_000)
    }

    @Test("3,000 seeded mutations of valid messages never crash a decoder")
    func mutatedMessages() {
        var random = SeededRandom(seed: 42)
        let samples = Samples.everyMessage
        for _ in 0..<3_000 {
            let message = samples[Int.random(in: 0..<samples.count, using: &random)]
            var bytes = message.wireBytes()
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.insert(UInt8.random(in: 0...255, using: &random), at: at)
                default: if bytes.count > 1 { bytes.remove(at: at) }
                }
            }
            probe(like: message, bytes)
        }
    }

    @Test("bytes of another message type with conflicting wire types are rejected")
    func wrongType() {
        // HealthCheckRequest.service (1) is a string; HealthCheckResponse.status (1) is a varint.
        #expect(throws: WireError(.truncatedOrInvalid, "trialtransit.v1.HealthCheckResponse: 29 bytes are not a valid encoding")) {
            try HealthCheckResponse(wireBytes: HealthCheckRequest(service: "trialtransit.v1.TrialAccess").wireBytes())
        }
        // TrialDefinition.title (2) is a string; EnrollmentEvent.occurred_at (2) is a varint.
        #expect(throws: WireError.self) { try EnrollmentEvent(wireBytes: Samples.trialDefinition.wireBytes()) }
        #expect(throws: WireError.self) { try EnrollmentEvent.decodeView(Samples.trialDefinition.wireBytes()) }
        // An event body where a GeoPoint is expected: field 1 is a double (fixed64), not bytes.
        #expect(throws: WireError.self) { try GeoPoint(wireBytes: Samples.enrollment(.patientReferred(Samples.referral)).wireBytes()) }
    }

    @Test("groups and invalid tags are rejected")
    func invalidTags() {
        #expect(throws: WireError.self) { try EnrollmentEvent(wireBytes: [0x00]) }  // field 0
        #expect(throws: WireError.self) { try EnrollmentEvent(wireBytes: [0x0B, 0x0C]) }  // group start/end
        #expect(throws: WireError.self) { try EnrollmentEvent(wireBytes: [0x0F]) }  // wire type 7
        #expect(throws: WireError.self) { try EnrollmentEvent(wireBytes: [0x10] + [UInt8](repeating: 0xFF, count: 11)) }
        #expect(throws: WireError.self) { try EnrollmentEvent(wireBytes: [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) }  // length 4 GiB
    }

    @Test("input over WireLimits.maxMessageBytes is rejected before parsing")
    func oversize() {
        #expect(WireLimits.maxMessageBytes == 1_000_000)
        let huge = [UInt8](repeating: 0, count: WireLimits.maxMessageBytes + 1)
        for attempt in [
            { _ = try EnrollmentEvent(wireBytes: huge) },
            { _ = try EnrollmentEvent.decodeView(huge) },
            { _ = try EnrollmentEvent(jsonUTF8: huge) },
        ] as [() throws -> Void] {
            do {
                try attempt()
                Issue.record("accepted \(huge.count) bytes")
            } catch let error as WireError {
                #expect(error.code == .tooLarge)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        // At the limit the bytes are parsed (and these zeros are not a message).
        #expect(throws: WireError.self) { try EnrollmentEvent(wireBytes: [UInt8](repeating: 0, count: WireLimits.maxMessageBytes)) }
    }
}
