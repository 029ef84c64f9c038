import TransitRPC
import TransitWire

/// The demo's patients: pseudonymous refs with realistic clinical facts for the sample catalogues and
/// partners. P1-P5 (Boston): a triple-negative breast cancer trial with sites in Boston, New York and
/// Philadelphia, ride partners around Boston. P6 (Madrid): see DemoScenario+Spain.swift.
struct DemoScenario {
    struct Patient {
        var label: String
        var ref: String
        var story: String
        var referral: PatientReferred
        /// Travel to the first visit, or nil for none.
        var mobility: Mobility?
        /// Site of the patient's visits (where the referral leads).
        var siteID: String
    }

    let run: String
    let now: Int64

    static let trial = "NCT09900105"

    /// Every patient of the demo, in label order.
    var patients: [Patient] { bostonPatients + [spanishPatient] }

    var bostonPatients: [Patient] {
        [
            patient("P1", "eligible, taxi to the screening visit", age: 52, ecog: 0, lat: 42.36, lon: -71.06, mobility: .ambulatory),
            patient("P2", "ECOG 3: ineligible", age: 61, ecog: 3, lat: 42.40, lon: -71.12, mobility: nil),
            patient("P3", "eligible, wheelchair van", age: 67, ecog: 1, lat: 42.25, lon: -71.00, mobility: .wheelchair),
            patient("P4", "eligible, every site in reach full: waitlisted", age: 45, ecog: 0, lat: 42.37, lon: -71.10, mobility: nil),
            patient("P5", "HER2 positive: ineligible", age: 58, ecog: 1, lat: 42.33, lon: -71.09, mobility: nil, her2: 1),
        ]
    }

    private func patient(
        _ label: String, _ story: String, age: UInt32, ecog: Int32, lat: Double, lon: Double, mobility: Mobility?,
        her2: Double = 0
    ) -> Patient {
        var referral = PatientReferred()
        referral.referralId = "ref-\(run)-\(label)"
        referral.trialId = Self.trial
        referral.conditionCode = "C50.9"
        referral.stage = "IIB"
        referral.ageYears = age
        referral.ecog = ecog
        referral.biomarkers = [
            BiomarkerResult(code: "ER", value: 0, unit: "bool"), BiomarkerResult(code: "PR", value: 0, unit: "bool"),
            BiomarkerResult(code: "HER2", value: her2, unit: "bool"),
        ]
        referral.homeLocation = GeoPoint(latitude: lat, longitude: lon)
        referral.maxTravelKm = 80
        referral.mobility = mobility ?? .ambulatory
        referral.language = "en"
        referral.consents = [Consent(scope: .contact, version: "v3", grantedAt: now)]
        return Patient(
            label: label, ref: "demo-\(run)-\(label.lowercased())", story: story, referral: referral, mobility: mobility,
            siteID: "us-bos-01")
    }

    func referral(_ patient: Patient) -> EnrollmentEvent {
        envelope(patient, "referral", .patientReferred(patient.referral))
    }

    func consents(_ patient: Patient) -> [EnrollmentEvent] {
        [ConsentScope.participation, .transport].map { scope in
            envelope(
                patient, "consent-\(scope.rawValue)",
                .consentRecorded(
                    ConsentRecorded(
                        consent: Consent(scope: scope, version: "v3", grantedAt: now, trialId: patient.referral.trialId))))
        }
    }

    func travelRequest(_ patient: Patient, mobility: Mobility) -> TravelEvent {
        var request = TravelAssistanceRequested()
        request.requestId = "travel-\(run)-\(patient.label)"
        request.trialId = patient.referral.trialId
        request.pickup = Location(point: patient.referral.homeLocation, addressText: "demo pickup address of \(patient.label)")
        request.returnTrip = false
        request.mobility = mobility
        request.companions = 1
        request.language = patient.referral.language
        request.contactToken = "tok-\(run)-\(patient.label)"
        var event = TravelEvent()
        event.eventId = "evt-\(run)-\(patient.label)-travel"
        event.occurredAt = now
        event.source = "trialtransit-demo"
        event.patientRef = patient.ref
        event.body = .travelAssistanceRequested(request)
        return event
    }

    func screeningVisit(_ patient: Patient) -> EnrollmentEvent {
        let at = now + 3 * 86_400_000
        var visit = Visit()
        visit.visitId = "visit-\(run)-\(patient.label)-screening"
        visit.trialId = patient.referral.trialId
        visit.siteId = patient.siteID
        visit.visitCode = "SCREENING"
        visit.scheduledAt = at
        visit.protocolWindow = TimeWindow(startAt: at - 86_400_000, endAt: at + 86_400_000)
        visit.durationMinutes = 90
        return envelope(patient, "visit", .visitScheduled(VisitScheduled(visit: visit)))
    }

    func envelope(_ patient: Patient, _ what: String, _ body: EnrollmentEvent.Body) -> EnrollmentEvent {
        var event = EnrollmentEvent()
        event.eventId = "evt-\(run)-\(patient.label)-\(what)"
        event.occurredAt = now
        event.source = "trialtransit-demo"
        event.patientRef = patient.ref
        event.body = body
        return event
    }
}
