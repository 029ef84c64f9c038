import TransitDemo
import TransitRPC
import TransitSoak
import TransitWire

/// One record the soak sends, with what the checker needs to know about it.
struct SoakMessage: Sendable {
    var topic: String
    var key: String
    var value: [UInt8]
    var input: SoakInput
}

/// A patient's journey: steps sent in order, each after its pause.
struct SoakJourney: Sendable {
    struct Step: Sendable {
        var pause: Duration
        var messages: [SoakMessage]
    }

    var patientRef: String
    var pickupAddress: String
    /// The referral made by RPC instead of an event, before the steps (some journeys).
    var call: SoakCall?
    var steps: [Step]
}

/// Patient journeys from the seed, on the sample catalogue's Boston breast-cancer trial (as the
/// demo): referrals (most eligible, some not), consents, a screening visit, a travel request, and
/// for some a reschedule or a cancellation, then the screening result; some records are sent twice
/// (same event id and bytes). A quarter of the referrals are `RequestTrialAccess` calls with an
/// idempotency key, half of them made twice with that key.
struct SoakJourneys: Sendable {
    static let trial = "NCT09900105"

    let run: String
    let topics: TransitTopics
    let now: Int64
    var random: SeededRandom

    init(run: String, seed: UInt64, topics: TransitTopics, now: Int64) {
        self.run = run
        self.topics = topics
        self.now = now
        random = SeededRandom(seed: seed)
    }

    mutating func journey(_ number: Int) -> SoakJourney {
        let ref = "soak-\(run)-p\(number)"
        // Event and visit ids carry the journey number, never the patient ref, so that ids in logs are no false alarm.
        let journey = "soak-\(run)-j\(number)"
        let address = "\(100 + number) Soak Street, apartment \(number % 17)"
        let ecog: Int32 = random.chance(0.15) ? 3 : Int32.random(in: 0...1, using: &random)
        let wheelchair = random.chance(0.3)
        let lat = 42.30 + Double.random(in: 0...0.1, using: &random)
        let lon = -71.12 + Double.random(in: 0...0.1, using: &random)
        var steps: [[SoakMessage]] = []
        let referred = referral(journey, ecog: ecog, lat: lat, lon: lon, wheelchair: wheelchair)
        var call: SoakCall?
        if random.chance(0.25) {
            call = SoakCall(
                patientRef: ref, idempotencyKey: "\(journey)-referral",
                request: RequestTrialAccessRequest(patientRef: ref, referral: referred), times: random.chance(0.5) ? 2 : 1)
        } else {
            steps.append([enrollment(ref, "\(journey)-referral", .referral, .patientReferred(referred))])
        }
        steps.append(
            [ConsentScope.participation, .transport].map { scope in
                enrollment(
                    ref, "\(journey)-consent-\(scope.rawValue)", .consent,
                    .consentRecorded(ConsentRecorded(consent: Consent(scope: scope, version: "v3", grantedAt: now, trialId: Self.trial))))
            })
        let visitID = "\(journey)-screening"
        let at = now + 3 * 86_400_000 + Int64.random(in: 0...8, using: &random) * 3_600_000
        steps.append([enrollment(ref, "\(journey)-visit", .visitScheduled(visitID: visitID), .visitScheduled(VisitScheduled(visit: visit(visitID, at: at))))])
        steps.append([travel(ref, journey, address: address, lat: lat, lon: lon, wheelchair: wheelchair)])
        if random.chance(0.25) {
            let later = at + 86_400_000
            var rescheduled = VisitRescheduled()
            rescheduled.visit = visit(visitID, at: later)
            rescheduled.previousScheduledAt = at
            steps.append([enrollment(ref, "\(journey)-reschedule", .visitRescheduled(visitID: visitID), .visitRescheduled(rescheduled))])
        }
        if random.chance(0.2) {
            var cancelled = VisitCancelled()
            cancelled.visitId = visitID
            cancelled.trialId = Self.trial
            cancelled.cancelledBy = .patient
            cancelled.reasonCode = "PATIENT_REQUEST"
            steps.append([enrollment(ref, "\(journey)-cancel", .visitCancelled(visitID: visitID), .visitCancelled(cancelled))])
        }
        // Duplicates: a sender retries a record (same event id, same bytes).
        for index in steps.indices where random.chance(0.15) {
            steps[index] += steps[index]
        }
        var timed = steps.map { SoakJourney.Step(pause: .milliseconds(400), messages: $0) }
        // Screening done a while later: the slot is released for the next patient (or the patient is off-study).
        var screening = ScreeningCompleted()
        screening.trialId = Self.trial
        screening.siteId = "us-bos-01"
        screening.outcome = random.chance(0.8) ? .passed : .failed
        if screening.outcome == .failed { screening.failedCriteria = ["LAB_VALUES"] }
        screening.screenedAt = now
        timed.append(
            SoakJourney.Step(
                pause: .seconds(8), messages: [enrollment(ref, "\(journey)-screened", .screeningCompleted, .screeningCompleted(screening))]))
        return SoakJourney(patientRef: ref, pickupAddress: address, call: call, steps: timed)
    }

    private func referral(_ journey: String, ecog: Int32, lat: Double, lon: Double, wheelchair: Bool) -> PatientReferred {
        var referral = PatientReferred()
        referral.referralId = "\(journey)-referral"
        referral.trialId = Self.trial
        referral.conditionCode = "C50.9"
        referral.stage = "IIB"
        referral.ageYears = 50
        referral.ecog = ecog
        referral.biomarkers = [
            BiomarkerResult(code: "ER", value: 0, unit: "bool"), BiomarkerResult(code: "PR", value: 0, unit: "bool"),
            BiomarkerResult(code: "HER2", value: 0, unit: "bool"),
        ]
        referral.homeLocation = GeoPoint(latitude: lat, longitude: lon)
        referral.maxTravelKm = 80
        referral.mobility = wheelchair ? .wheelchair : .ambulatory
        referral.language = "en"
        referral.consents = [Consent(scope: .contact, version: "v3", grantedAt: now)]
        return referral
    }

    private func visit(_ id: String, at: Int64) -> Visit {
        var visit = Visit()
        visit.visitId = id
        visit.trialId = Self.trial
        visit.siteId = "us-bos-01"
        visit.visitCode = "SCREENING"
        visit.scheduledAt = at
        visit.protocolWindow = TimeWindow(startAt: at - 86_400_000, endAt: at + 2 * 86_400_000)
        visit.durationMinutes = 90
        return visit
    }

    private func travel(_ ref: String, _ journey: String, address: String, lat: Double, lon: Double, wheelchair: Bool) -> SoakMessage {
        var request = TravelAssistanceRequested()
        request.requestId = "\(journey)-travel"
        request.trialId = Self.trial
        request.pickup = Location(point: GeoPoint(latitude: lat, longitude: lon), addressText: address)
        request.returnTrip = false
        request.mobility = wheelchair ? .wheelchair : .ambulatory
        request.companions = 1
        request.language = "en"
        request.contactToken = "\(journey)-token"
        var event = TravelEvent()
        event.eventId = "\(journey)-travel"
        event.occurredAt = now
        event.source = "trialtransit-soak"
        event.patientRef = ref
        event.body = .travelAssistanceRequested(request)
        return SoakMessage(
            topic: topics.travelRequests, key: ref, value: event.wireBytes(),
            input: SoakInput(eventID: event.eventId, key: ref, kind: .travelRequested))
    }

    private func enrollment(_ ref: String, _ id: String, _ kind: SoakInput.Kind, _ body: EnrollmentEvent.Body) -> SoakMessage {
        var event = EnrollmentEvent()
        event.eventId = id
        event.occurredAt = now
        event.source = "trialtransit-soak"
        event.patientRef = ref
        event.body = body
        return SoakMessage(topic: topics.enrollmentEvents, key: ref, value: event.wireBytes(), input: SoakInput(eventID: id, key: ref, kind: kind))
    }
}
