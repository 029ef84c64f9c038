import Foundation
import TransitRPC
import TransitWire
import TransitTime

/// Wire messages the tests publish or send.
enum Fixture {
    /// A home area near Amsterdam, within 100 km of both test sites.
    static let homeLatitude = 52.37
    static let homeLongitude = 4.89

    static var now: Int64 { SystemWallClock().nowMilliseconds() }

    static func consent(_ scope: ConsentScope, trialID: String = "") -> Consent {
        var consent = Consent()
        consent.scope = scope
        consent.version = "\(scope.name ?? "X")-1.0"
        consent.grantedAt = now - 60_000
        consent.trialId = trialID
        return consent
    }

    /// An eligible lung-cancer referral to the test trial.
    static func referred(
        trialID: String = TestCatalog.trialID, age: UInt32 = 64, ecog: Int32 = 1, latitude: Double = homeLatitude,
        longitude: Double = homeLongitude, language: String = "nl", consents: [Consent] = []
    ) -> PatientReferred {
        var referral = PatientReferred()
        referral.referralId = TestBroker.unique("ref")
        referral.trialId = trialID
        referral.conditionCode = "C34.1"
        referral.stage = "IV"
        referral.ageYears = age
        referral.ecog = ecog
        var home = GeoPoint()
        home.latitude = latitude
        home.longitude = longitude
        referral.homeLocation = home
        referral.maxTravelKm = 100
        referral.mobility = .wheelchair
        referral.companions = 1
        referral.language = language
        referral.consents = consents
        return referral
    }

    static func event(
        _ patientRef: String, _ body: EnrollmentEvent.Body, id: String = TestBroker.unique("ev")
    ) -> EnrollmentEvent {
        var event = EnrollmentEvent()
        event.eventId = id
        event.occurredAt = now
        event.source = "taw-test"
        event.patientRef = patientRef
        event.body = body
        return event
    }

    static func referral(_ patientRef: String, _ referred: PatientReferred = Fixture.referred()) -> EnrollmentEvent {
        event(patientRef, .patientReferred(referred))
    }

    static func visit(
        _ visitID: String, site: String = TestCatalog.siteA, code: String = "C1D1", inDays days: Int64 = 7
    ) -> Visit {
        var visit = Visit()
        visit.visitId = visitID
        visit.trialId = TestCatalog.trialID
        visit.siteId = site
        visit.visitCode = code
        visit.scheduledAt = now + days * 86_400_000
        var window = TimeWindow()
        window.startAt = visit.scheduledAt - 2 * 86_400_000
        window.endAt = visit.scheduledAt + 2 * 86_400_000
        visit.protocolWindow = window
        visit.durationMinutes = 90
        return visit
    }

    static func visitScheduled(_ patientRef: String, _ visit: Visit) -> EnrollmentEvent {
        var scheduled = VisitScheduled()
        scheduled.visit = visit
        return event(patientRef, .visitScheduled(scheduled))
    }

    static func visitCancelled(_ patientRef: String, visitID: String) -> EnrollmentEvent {
        var cancelled = VisitCancelled()
        cancelled.visitId = visitID
        cancelled.trialId = TestCatalog.trialID
        cancelled.cancelledBy = .coordinator
        cancelled.reasonCode = "SITE_RESCHEDULE"
        return event(patientRef, .visitCancelled(cancelled))
    }

    static func screeningPassed(_ patientRef: String) -> EnrollmentEvent {
        var completed = ScreeningCompleted()
        completed.trialId = TestCatalog.trialID
        completed.siteId = TestCatalog.siteA
        completed.outcome = .passed
        completed.screenedAt = now
        return event(patientRef, .screeningCompleted(completed))
    }

    static func consentRecorded(_ patientRef: String, _ scope: ConsentScope) -> EnrollmentEvent {
        var recorded = ConsentRecorded()
        recorded.consent = consent(scope, trialID: TestCatalog.trialID)
        return event(patientRef, .consentRecorded(recorded))
    }

    static func enrollmentConfirmed(_ patientRef: String) -> EnrollmentEvent {
        var confirmed = EnrollmentConfirmed()
        confirmed.trialId = TestCatalog.trialID
        confirmed.siteId = TestCatalog.siteA
        confirmed.enrolledAt = now
        return event(patientRef, .enrollmentConfirmed(confirmed))
    }

    /// A patient-reported adverse event in the test trial, with onset now.
    static func adverseEventReported(
        _ patientRef: String, termCode: String, grade: UInt32, id: String = TestBroker.unique("ae")
    ) -> EnrollmentEvent {
        event(
            patientRef,
            .adverseEventReported(
                AdverseEventReported(
                    trialId: TestCatalog.trialID, ctcaeTermCode: termCode, grade: grade, onsetAt: now,
                    reporter: .patientApp)),
            id: id)
    }

    /// A travel request for every visit of the test trial, with pickup and contact token.
    static func travelRequested(
        _ patientRef: String, requestID: String = TestBroker.unique("tr"), pickupLatitude: Double = 52.3712,
        pickupLongitude: Double = 4.8898, address: String = "Pickup Street 1", contactToken: String = "ct-token",
        language: String = ""
    ) -> TravelEvent {
        var requested = TravelAssistanceRequested()
        requested.requestId = requestID
        requested.trialId = TestCatalog.trialID
        var point = GeoPoint()
        point.latitude = pickupLatitude
        point.longitude = pickupLongitude
        var pickup = Location()
        pickup.point = point
        pickup.addressText = address
        requested.pickup = pickup
        requested.returnTrip = true
        requested.contactToken = contactToken
        requested.language = language
        var event = TravelEvent()
        event.eventId = TestBroker.unique("tev")
        event.occurredAt = now
        event.source = "taw-test"
        event.patientRef = patientRef
        event.body = .travelAssistanceRequested(requested)
        return event
    }
}

extension Fixture {
    /// The test trial as a `trial.catalog.v1` record.
    static func catalogRecord(capacityA: UInt32, capacityB: UInt32 = 0, updatedAt: Int64) -> TrialDefinition {
        func site(
            _ id: String, _ latitude: Double, _ longitude: Double, _ address: String, _ capacity: UInt32
        ) -> TrialSite {
            var point = GeoPoint()
            point.latitude = latitude
            point.longitude = longitude
            var location = Location()
            location.point = point
            location.addressText = address
            var site = TrialSite()
            site.siteId = id
            site.name = "Site \(id) (test)"
            site.location = location
            site.screeningCapacity = capacity
            site.recruiting = true
            return site
        }
        var criteria = EligibilityCriteria()
        criteria.conditionCodes = ["C34"]
        criteria.minAgeYears = 18
        criteria.maxEcog = 1
        var trial = TrialDefinition()
        trial.trialId = TestCatalog.trialID
        trial.title = "Test trial (worker integration tests)"
        trial.phase = .phase2
        trial.recruitingStatus = .recruiting
        trial.criteria = criteria
        trial.sites = [
            site(TestCatalog.siteA, 52.294, 4.958, "Test Road 1, entrance A", capacityA),
            site(TestCatalog.siteB, 52.087, 5.179, "Test Road 2, entrance B", capacityB),
        ]
        trial.updatedAt = updatedAt
        return trial
    }
}
