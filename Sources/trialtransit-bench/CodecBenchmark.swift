import ArgumentParser
internal import CTransitProto
import TransitWire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `bench codec`: encode and decode one realistic referral through TransitWire and through the
/// bare protobuf-c calls, in the same run.
struct CodecBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec",
        abstract: "TransitWire encode/decode vs bare protobuf-c calls on a realistic referral.",
        discussion: """
            Encode: protobuf-c fills its structs from pre-built C strings, then get_packed_size, \
            malloc, pack, free; Swift calls wireBytes() on an EnrollmentEvent value. Decode: \
            protobuf-c unpacks, reads every field (strlen for strings) and frees; Swift calls \
            decodeView and reads the same fields as Swift values. A line for full materialization \
            (decode to the EnrollmentEvent value) is printed too. Figures are thread CPU time per \
            operation (time spent descheduled does not count), median of --runs; every run measures \
            all six loops. TransitWire unpacks into an arena (one block per message, freed at once); \
            for reference a line gives protobuf-c unpacking into a bump arena too (the ratios use \
            the bare calls). No broker needed.
            Example: trialtransit-bench codec --iterations 1000000
            """
    )

    @Option(help: "Operations per measured loop.")
    var iterations = 1_000_000

    @Option(help: "Measured runs of each loop; the median is reported.")
    var runs = 3

    func validate() throws {
        guard iterations > 0 else { throw ValidationError("--iterations must be positive") }
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
    }

    func run() async throws {
        let event = Self.referralEvent()
        let bytes = event.wireBytes()
        let c = CReferral()
        defer { c.deallocate() }
        guard c.encode() == bytes else { throw ValidationError("the C baseline does not encode the same message") }
        guard try EnrollmentEvent(wireBytes: bytes) == event else { throw ValidationError("round trip failed") }
        guard try CodecLoops.readView(bytes) == CodecLoops.readC(bytes) else {
            throw ValidationError("Swift and C read different field values")
        }
        print("message=trialtransit.v1.EnrollmentEvent body=PatientReferred bytes=\(bytes.count) iterations=\(iterations)")

        let loops: [(String, (Int) throws -> Int)] = [
            ("c_encode_ns", { CodecLoops.encodeC(c, $0) }),
            ("swift_encode_ns", { CodecLoops.encodeSwift(event, $0) }),
            ("c_decode_ns", { try CodecLoops.decodeC(bytes, $0) }),
            ("swift_decode_ns", { try CodecLoops.decodeView(bytes, $0) }),
            ("swift_materialize_ns", { try CodecLoops.decodeValue(bytes, $0) }),
            ("c_decode_arena_ns", { try CodecLoops.decodeCArena(bytes, $0) }),
        ]
        var results: [String: [Double]] = [:]
        for run in 1...runs {
            let figures = try measure(loops)
            for (name, value) in zip(loops.map(\.0), figures) { results[name, default: []].append(value) }
            print("run \(run): " + zip(loops.map(\.0), figures).map { "\($0)=\(Self.ns($1))" }.joined(separator: " "))
        }
        let median = results.mapValues(BenchFormat.median)
        let swiftEncode = median["swift_encode_ns"]!, swiftDecode = median["swift_decode_ns"]!
        let cEncode = median["c_encode_ns"]!, cDecode = median["c_decode_ns"]!
        print(
            "swift_materialize_ns=\(Self.ns(median["swift_materialize_ns"]!)) "
                + "materialize_ratio=\(BenchFormat.ratio(median["swift_materialize_ns"]! / cDecode)) "
                + "(decode to the EnrollmentEvent value, every field converted)")
        print(
            "c_decode_arena_ns=\(Self.ns(median["c_decode_arena_ns"]!)) "
                + "decode_ratio_vs_c_arena=\(BenchFormat.ratio(swiftDecode / median["c_decode_arena_ns"]!)) "
                + "(protobuf-c unpacking into a bump arena reset per message, as TransitWire does; for reference)")
        print(
            "encode_ratio=\(BenchFormat.ratio(swiftEncode / cEncode)) decode_ratio=\(BenchFormat.ratio(swiftDecode / cDecode))")
        print(
            "swift_encode_ns=\(Self.ns(swiftEncode)) swift_decode_ns=\(Self.ns(swiftDecode)) c_encode_ns=\(Self.ns(cEncode)) "
                + "c_decode_ns=\(Self.ns(cDecode)) ratio=\(BenchFormat.ratio((swiftEncode + swiftDecode) / (cEncode + cDecode)))")
    }

    /// Thread CPU nanoseconds per operation of each loop (a loop runs the given number of
    /// operations and returns a checksum), one loop after the other. CPU time rather than wall
    /// time, so that time spent descheduled on a shared machine is not counted.
    private func measure(_ loops: [(String, (Int) throws -> Int)]) throws -> [Double] {
        try loops.map { _, loop in
            CodecLoops.blackHole(try loop(min(iterations, 10_000)))  // warm up
            let start = Self.threadCPUTime()
            let checksum = try loop(iterations)
            let elapsed = Self.threadCPUTime() - start
            CodecLoops.blackHole(checksum)
            return elapsed / Double(iterations)
        }
    }

    private static func threadCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) * 1e9 + Double(time.tv_nsec)
    }

    private static func ns(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// A realistic referral: lung cancer C34.1 stage IV, ECOG 1, PD-L1 TPS 55 %, EGFR negative.
    static func referralEvent() -> EnrollmentEvent {
        EnrollmentEvent(
            eventId: "5b1f8c2e-7d4a-4e0b-9c3f-1a2b3c4d5e6f", occurredAt: 1_767_312_000_000, source: "matching-app",
            patientRef: "p-7f3a9c",
            body: .patientReferred(
                PatientReferred(
                    referralId: "ref-2026-0042", trialId: "NCT01234567", conditionCode: "C34.1", stage: "IV", ageYears: 64,
                    ecog: 1,
                    biomarkers: [
                        BiomarkerResult(code: "PDL1_TPS", value: 55, unit: "%", measuredAt: 1_767_225_600_000),
                        BiomarkerResult(code: "EGFR", value: 0, unit: "bool", measuredAt: 1_767_225_600_000),
                    ],
                    priorTherapies: ["PLATINUM_CHEMO", "L01FF02"], homeLocation: GeoPoint(latitude: 52.37, longitude: 4.9),
                    maxTravelKm: 80, mobility: .wheelchair, companions: 1, language: "nl",
                    consents: [
                        Consent(scope: .contact, version: "CONTACT-1.0", grantedAt: 1_767_312_000_000),
                        Consent(scope: .transport, version: "TRANSPORT-1.2", grantedAt: 1_767_312_000_000, trialId: "NCT01234567"),
                    ],
                    referringOrganizationId: "org-hospital-17")))
    }
}

/// The measured loops; each returns a checksum so that no work is optimized away.
enum CodecLoops {
    @inline(never)
    static func blackHole(_ value: Int) {
        if value == 42 { print("", terminator: "") }
    }

    static func encodeC(_ c: CReferral, _ count: Int) -> Int {
        var sum = 0
        for _ in 0..<count {
            sum &+= c.encodeAndFree()
        }
        return sum
    }

    static func encodeSwift(_ event: EnrollmentEvent, _ count: Int) -> Int {
        var sum = 0
        for _ in 0..<count {
            let bytes = event.wireBytes()
            sum &+= bytes.count &+ Int(bytes[bytes.count / 2])
        }
        return sum
    }

    static func decodeC(_ bytes: [UInt8], _ count: Int) throws -> Int {
        var sum = 0
        for _ in 0..<count { sum &+= try readC(bytes) }
        return sum
    }

    static func decodeView(_ bytes: [UInt8], _ count: Int) throws -> Int {
        var sum = 0
        for _ in 0..<count { sum &+= try readView(bytes) }
        return sum
    }

    /// readC, with protobuf-c allocating from a bump arena (reset per message, never freed
    /// piecemeal) instead of malloc: the C counterpart of TransitWire's unpacking.
    static func decodeCArena(_ bytes: [UInt8], _ count: Int) throws -> Int {
        let arena = CBumpArena(capacity: 64 * 1024)
        defer { arena.deallocate() }
        var sum = 0
        for _ in 0..<count {
            arena.reset()
            sum &+= try readC(bytes, allocator: arena.allocator)
        }
        return sum
    }

    static func decodeValue(_ bytes: [UInt8], _ count: Int) throws -> Int {
        var sum = 0
        for _ in 0..<count {
            let event = try EnrollmentEvent(wireBytes: bytes)
            sum &+= event.eventId.utf8.count
        }
        return sum
    }

    @inline(__always)
    private static func length(_ string: UnsafePointer<CChar>?) -> Int {
        guard let string else { return 0 }
        return strlen(string)
    }

    /// Unpack, read every field (string lengths, scalars), free (with an arena `allocator`: the
    /// caller frees everything at once).
    static func readC(_ bytes: [UInt8], allocator: UnsafeMutablePointer<ProtobufCAllocator>? = nil) throws -> Int {
        let m = bytes.withUnsafeBufferPointer { trialtransit__v1__enrollment_event__unpack(allocator, $0.count, $0.baseAddress) }
        guard let m else { throw ValidationError("protobuf-c could not unpack") }
        defer { if allocator == nil { trialtransit__v1__enrollment_event__free_unpacked(m, nil) } }
        var sum = length(m.pointee.event_id) &+ Int(truncatingIfNeeded: m.pointee.occurred_at)
        sum &+= length(m.pointee.source) &+ length(m.pointee.patient_ref)
        guard m.pointee.body_case == TRIALTRANSIT__V1__ENROLLMENT_EVENT__BODY_PATIENT_REFERRED,
            let r = m.pointee.patient_referred
        else { return sum }
        sum &+= length(r.pointee.referral_id) &+ length(r.pointee.trial_id) &+ length(r.pointee.condition_code)
        sum &+= length(r.pointee.condition_system) &+ length(r.pointee.stage)
        if r.pointee.age_known_case == TRIALTRANSIT__V1__PATIENT_REFERRED__AGE_KNOWN_AGE_YEARS {
            sum &+= Int(r.pointee.age_years)
        }
        if r.pointee.ecog_known_case == TRIALTRANSIT__V1__PATIENT_REFERRED__ECOG_KNOWN_ECOG { sum &+= Int(r.pointee.ecog) }
        for i in 0..<r.pointee.n_biomarkers {
            let b = r.pointee.biomarkers[i]!
            sum &+= length(b.pointee.code) &+ Int(b.pointee.value) &+ length(b.pointee.unit)
            sum &+= Int(truncatingIfNeeded: b.pointee.measured_at)
        }
        for i in 0..<r.pointee.n_prior_therapies { sum &+= length(r.pointee.prior_therapies[i]!) }
        if let home = r.pointee.home_location {
            sum &+= Int(home.pointee.latitude * 100) &+ Int(home.pointee.longitude * 100)
        }
        sum &+= Int(r.pointee.max_travel_km) &+ Int(r.pointee.mobility.rawValue) &+ Int(r.pointee.companions)
        sum &+= length(r.pointee.language)
        for i in 0..<r.pointee.n_consents {
            let c = r.pointee.consents[i]!
            sum &+= Int(c.pointee.scope.rawValue) &+ length(c.pointee.version)
            sum &+= Int(truncatingIfNeeded: c.pointee.granted_at) &+ length(c.pointee.trial_id)
        }
        return sum &+ length(r.pointee.referring_organization_id)
    }

    /// decodeView, then read the same fields as `readC`, as Swift values.
    static func readView(_ bytes: [UInt8]) throws -> Int {
        let m = try EnrollmentEvent.decodeView(bytes)
        var sum = m.eventId.utf8.count &+ Int(truncatingIfNeeded: m.occurredAt)
        sum &+= m.source.utf8.count &+ m.patientRef.utf8.count
        guard let r = m.patientReferred else { return sum }
        sum &+= r.referralId.utf8.count &+ r.trialId.utf8.count &+ r.conditionCode.utf8.count
        sum &+= r.conditionSystem.utf8.count &+ r.stage.utf8.count
        if let age = r.ageYears { sum &+= Int(age) }
        if let ecog = r.ecog { sum &+= Int(ecog) }
        for b in r.biomarkers {
            sum &+= b.code.utf8.count &+ Int(b.value) &+ b.unit.utf8.count &+ Int(truncatingIfNeeded: b.measuredAt)
        }
        for therapy in r.priorTherapies { sum &+= therapy.utf8.count }
        if let home = r.homeLocation { sum &+= Int(home.latitude * 100) &+ Int(home.longitude * 100) }
        sum &+= Int(r.maxTravelKm) &+ Int(r.mobility.rawValue) &+ Int(r.companions)
        sum &+= r.language.utf8.count
        for c in r.consents {
            sum &+= Int(c.scope.rawValue) &+ c.version.utf8.count &+ Int(truncatingIfNeeded: c.grantedAt) &+ c.trialId.utf8.count
        }
        return sum &+ r.referringOrganizationId.utf8.count
    }
}

/// The referral as a C program holds it: C strings built once, structs filled per encode (no
/// allocation but the output buffer).
final class CReferral {
    private let eventId = strdup("5b1f8c2e-7d4a-4e0b-9c3f-1a2b3c4d5e6f")!
    private let source = strdup("matching-app")!
    private let patientRef = strdup("p-7f3a9c")!
    private let referralId = strdup("ref-2026-0042")!
    private let trialId = strdup("NCT01234567")!
    private let conditionCode = strdup("C34.1")!
    private let stage = strdup("IV")!
    private let pdl1 = strdup("PDL1_TPS")!
    private let percent = strdup("%")!
    private let egfr = strdup("EGFR")!
    private let bool = strdup("bool")!
    private let platinum = strdup("PLATINUM_CHEMO")!
    private let pembrolizumab = strdup("L01FF02")!
    private let language = strdup("nl")!
    private let contactVersion = strdup("CONTACT-1.0")!
    private let transportVersion = strdup("TRANSPORT-1.2")!
    private let organization = strdup("org-hospital-17")!

    private let event = UnsafeMutablePointer<Trialtransit__V1__EnrollmentEvent>.allocate(capacity: 1)
    private let referral = UnsafeMutablePointer<Trialtransit__V1__PatientReferred>.allocate(capacity: 1)
    private let home = UnsafeMutablePointer<Trialtransit__V1__GeoPoint>.allocate(capacity: 1)
    private let biomarkers = UnsafeMutablePointer<Trialtransit__V1__BiomarkerResult>.allocate(capacity: 2)
    private let consents = UnsafeMutablePointer<Trialtransit__V1__Consent>.allocate(capacity: 2)
    private let biomarkerList = UnsafeMutablePointer<UnsafeMutablePointer<Trialtransit__V1__BiomarkerResult>?>.allocate(capacity: 2)
    private let consentList = UnsafeMutablePointer<UnsafeMutablePointer<Trialtransit__V1__Consent>?>.allocate(capacity: 2)
    private let therapyList = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: 2)

    func deallocate() {
        for string in [
            eventId, source, patientRef, referralId, trialId, conditionCode, stage, pdl1, percent, egfr, bool, platinum,
            pembrolizumab, language, contactVersion, transportVersion, organization,
        ] {
            free(string)
        }
        event.deallocate()
        referral.deallocate()
        home.deallocate()
        biomarkers.deallocate()
        consents.deallocate()
        biomarkerList.deallocate()
        consentList.deallocate()
        therapyList.deallocate()
    }

    /// Fills every struct of the referral (the same message as `CodecBenchmark.referralEvent()`).
    @inline(__always)
    private func fill() {
        trialtransit__v1__geo_point__init(home)
        home.pointee.latitude = 52.37
        home.pointee.longitude = 4.9
        trialtransit__v1__biomarker_result__init(biomarkers)
        biomarkers[0].code = pdl1
        biomarkers[0].value = 55
        biomarkers[0].unit = percent
        biomarkers[0].measured_at = 1_767_225_600_000
        trialtransit__v1__biomarker_result__init(biomarkers + 1)
        biomarkers[1].code = egfr
        biomarkers[1].value = 0
        biomarkers[1].unit = bool
        biomarkers[1].measured_at = 1_767_225_600_000
        biomarkerList[0] = biomarkers
        biomarkerList[1] = biomarkers + 1
        trialtransit__v1__consent__init(consents)
        consents[0].scope = TRIALTRANSIT__V1__CONSENT_SCOPE__CONSENT_SCOPE_CONTACT
        consents[0].version = contactVersion
        consents[0].granted_at = 1_767_312_000_000
        trialtransit__v1__consent__init(consents + 1)
        consents[1].scope = TRIALTRANSIT__V1__CONSENT_SCOPE__CONSENT_SCOPE_TRANSPORT
        consents[1].version = transportVersion
        consents[1].granted_at = 1_767_312_000_000
        consents[1].trial_id = trialId
        consentList[0] = consents
        consentList[1] = consents + 1
        therapyList[0] = platinum
        therapyList[1] = pembrolizumab

        trialtransit__v1__patient_referred__init(referral)
        referral.pointee.referral_id = referralId
        referral.pointee.trial_id = trialId
        referral.pointee.condition_code = conditionCode
        referral.pointee.stage = stage
        referral.pointee.age_known_case = TRIALTRANSIT__V1__PATIENT_REFERRED__AGE_KNOWN_AGE_YEARS
        referral.pointee.age_years = 64
        referral.pointee.ecog_known_case = TRIALTRANSIT__V1__PATIENT_REFERRED__ECOG_KNOWN_ECOG
        referral.pointee.ecog = 1
        referral.pointee.n_biomarkers = 2
        referral.pointee.biomarkers = biomarkerList
        referral.pointee.n_prior_therapies = 2
        referral.pointee.prior_therapies = therapyList
        referral.pointee.home_location = home
        referral.pointee.max_travel_km = 80
        referral.pointee.mobility = TRIALTRANSIT__V1__MOBILITY__MOBILITY_WHEELCHAIR
        referral.pointee.companions = 1
        referral.pointee.language = language
        referral.pointee.n_consents = 2
        referral.pointee.consents = consentList
        referral.pointee.referring_organization_id = organization

        trialtransit__v1__enrollment_event__init(event)
        event.pointee.event_id = eventId
        event.pointee.occurred_at = 1_767_312_000_000
        event.pointee.source = source
        event.pointee.patient_ref = patientRef
        event.pointee.body_case = TRIALTRANSIT__V1__ENROLLMENT_EVENT__BODY_PATIENT_REFERRED
        event.pointee.patient_referred = referral
    }

    /// Fill, get_packed_size, malloc, pack, free; returns a checksum.
    func encodeAndFree() -> Int {
        fill()
        let size = trialtransit__v1__enrollment_event__get_packed_size(event)
        let buffer = malloc(size)!.assumingMemoryBound(to: UInt8.self)
        let packed = trialtransit__v1__enrollment_event__pack(event, buffer)
        let sum = packed &+ Int(buffer[packed / 2])
        free(buffer)
        return sum
    }

    /// The packed bytes, for checking that both sides encode the same message.
    func encode() -> [UInt8] {
        fill()
        let size = trialtransit__v1__enrollment_event__get_packed_size(event)
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = trialtransit__v1__enrollment_event__pack(event, buffer.baseAddress)
        }
    }
}

/// A fixed bump arena as a protobuf-c allocator, for the C arena line of `bench codec`: plain
/// memory reached through the allocator's data pointer, as a C program would have it.
final class CBumpArena {
    private struct State {
        var base: UnsafeMutableRawPointer
        var used: Int
        var capacity: Int
    }

    private let state = UnsafeMutablePointer<State>.allocate(capacity: 1)
    let allocator = UnsafeMutablePointer<ProtobufCAllocator>.allocate(capacity: 1)

    init(capacity: Int) {
        state.initialize(to: State(base: UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16), used: 0, capacity: capacity))
        allocator.initialize(
            to: ProtobufCAllocator(
                alloc: { data, size in
                    let state = data.unsafelyUnwrapped.assumingMemoryBound(to: State.self)
                    let start = state.pointee.used
                    state.pointee.used = (start &+ size &+ 7) & ~7
                    precondition(state.pointee.used <= state.pointee.capacity, "bench arena too small")
                    return state.pointee.base + start
                },
                free: { _, _ in }, allocator_data: UnsafeMutableRawPointer(state)))
    }

    func reset() { state.pointee.used = 0 }

    func deallocate() {
        state.pointee.base.deallocate()
        state.deallocate()
        allocator.deallocate()
    }
}
