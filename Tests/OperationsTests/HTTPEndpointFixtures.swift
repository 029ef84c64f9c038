import Foundation
import TransitKafka
import TransitRPC
import TransitWire

/// Inputs for the HTTP endpoint tests: one eligible patient of the sample catalogue (referral,
/// consents, a travel request, a screening visit), as the demo feeds them.
struct HTTPEndpointFixtures {
    let run: String
    let topics: TransitTopics
    let now = Int64(Date().timeIntervalSince1970 * 1000)
    var patientRef: String { "http-\(run)-p1" }

    func referral() -> KafkaProducerMessage {
        var referral = PatientReferred()
        referral.referralId = "ref-\(run)"
        referral.trialId = "NCT09900105"
        referral.conditionCode = "C50.9"
        referral.stage = "IIB"
        referral.ageYears = 52
        referral.ecog = 0
        referral.biomarkers = [
            BiomarkerResult(code: "ER", value: 0, unit: "bool"), BiomarkerResult(code: "PR", value: 0, unit: "bool"),
            BiomarkerResult(code: "HER2", value: 0, unit: "bool"),
        ]
        referral.homeLocation = GeoPoint(latitude: 42.36, longitude: -71.06)
        referral.maxTravelKm = 80
        referral.mobility = .ambulatory
        referral.language = "en"
        referral.consents = [Consent(scope: .contact, version: "v3", grantedAt: now)]
        return enrollment("referral", .patientReferred(referral))
    }

    func consents() -> [KafkaProducerMessage] {
        [ConsentScope.participation, .transport].map { scope in
            enrollment(
                "consent-\(scope.rawValue)",
                .consentRecorded(ConsentRecorded(consent: Consent(scope: scope, version: "v3", grantedAt: now, trialId: "NCT09900105"))))
        }
    }

    func travelRequest() -> KafkaProducerMessage {
        var request = TravelAssistanceRequested()
        request.requestId = "travel-\(run)"
        request.trialId = "NCT09900105"
        request.pickup = Location(point: GeoPoint(latitude: 42.36, longitude: -71.06), addressText: "test pickup")
        request.mobility = .ambulatory
        request.companions = 1
        request.language = "en"
        request.contactToken = "tok-\(run)"
        var event = TravelEvent()
        event.eventId = "evt-\(run)-travel"
        event.occurredAt = now
        event.source = "http-test"
        event.patientRef = patientRef
        event.body = .travelAssistanceRequested(request)
        return KafkaProducerMessage(topic: topics.travelRequests, key: patientRef, value: event.wireBytes())
    }

    func screeningVisit() -> KafkaProducerMessage {
        let at = now + 3 * 86_400_000
        var visit = Visit()
        visit.visitId = "visit-\(run)-screening"
        visit.trialId = "NCT09900105"
        visit.siteId = "us-bos-01"
        visit.visitCode = "SCREENING"
        visit.scheduledAt = at
        visit.protocolWindow = TimeWindow(startAt: at - 86_400_000, endAt: at + 86_400_000)
        visit.durationMinutes = 90
        return enrollment("visit", .visitScheduled(VisitScheduled(visit: visit)))
    }

    /// Bytes that do not decode as an EnrollmentEvent: a dead letter `DECODE_FAILED`.
    func undecodable() -> KafkaProducerMessage {
        KafkaProducerMessage(topic: topics.enrollmentEvents, key: "http-\(run)-garbage", value: [0xFF, 0xFF, 0xFF, 0x07])
    }

    private func enrollment(_ what: String, _ body: EnrollmentEvent.Body) -> KafkaProducerMessage {
        var event = EnrollmentEvent()
        event.eventId = "evt-\(run)-\(what)"
        event.occurredAt = now
        event.source = "http-test"
        event.patientRef = patientRef
        event.body = body
        return KafkaProducerMessage(topic: topics.enrollmentEvents, key: patientRef, value: event.wireBytes())
    }
}
