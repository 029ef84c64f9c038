import TransitWire

/// Realistic messages with every field set to a non-default value, one per envelope body.
enum Samples {
    static let window = TimeWindow(startAt: 1_767_340_800_000, endAt: 1_767_345_000_000)
    static let amsterdam = GeoPoint(latitude: 52.37, longitude: 4.9)
    static let pickup = Location(point: amsterdam, addressText: "Keizersgracht 1, 1015 CJ Amsterdam")
    static let site = Location(point: GeoPoint(latitude: 52.29, longitude: 4.96), addressText: "Meibergdreef 9, entrance B")
    static let consent = Consent(scope: .transport, version: "TRANSPORT-1.2", grantedAt: 1_767_312_000_000, trialId: "NCT01234567")
    static let visit = Visit(
        visitId: "v-c1d1", trialId: "NCT01234567", siteId: "site-amc", visitCode: "C1D1", scheduledAt: 1_767_600_000_000,
        protocolWindow: window, durationMinutes: 240)

    static let referral = PatientReferred(
        referralId: "ref-2026-0042", trialId: "NCT01234567", conditionCode: "C34.1",
        conditionSystem: "http://hl7.org/fhir/sid/icd-10", stage: "IV", ageYears: 64, ecog: 1,
        biomarkers: [
            BiomarkerResult(code: "PDL1_TPS", value: 55, unit: "%", measuredAt: 1_767_225_600_000),
            BiomarkerResult(code: "EGFR", value: 0, unit: "bool", measuredAt: 1_767_225_600_000),
        ],
        priorTherapies: ["PLATINUM_CHEMO", "ANTI_PD1"], homeLocation: amsterdam, maxTravelKm: 80, mobility: .wheelchair,
        companions: 1, language: "nl",
        consents: [Consent(scope: .contact, version: "CONTACT-1.0", grantedAt: 1_767_312_000_000), consent],
        referringOrganizationId: "org-hospital-17")

    static func enrollment(_ body: EnrollmentEvent.Body) -> EnrollmentEvent {
        EnrollmentEvent(
            eventId: "5b1f8c2e-7d4a-4e0b-9c3f-1a2b3c4d5e6f", occurredAt: 1_767_312_000_000, source: "matching-app",
            patientRef: "p-7f3a9c", body: body)
    }

    static let enrollmentBodies: [EnrollmentEvent.Body] = [
        .patientReferred(referral),
        .consentRecorded(ConsentRecorded(consent: consent)),
        .consentWithdrawn(ConsentWithdrawn(scope: .participation, trialId: "NCT01234567", withdrawnAt: 1_767_400_000_000)),
        .screeningCompleted(
            ScreeningCompleted(
                trialId: "NCT01234567", siteId: "site-amc", outcome: .failed, failedCriteria: ["ECOG", "BIOMARKER:PDL1_TPS"],
                screenedAt: 1_767_500_000_000)),
        .enrollmentConfirmed(EnrollmentConfirmed(trialId: "NCT01234567", siteId: "site-amc", armCode: "A", enrolledAt: 1_767_550_000_000)),
        .visitScheduled(VisitScheduled(visit: visit)),
        .visitRescheduled(VisitRescheduled(visit: visit, previousScheduledAt: 1_767_500_000_000, reasonCode: "PATIENT_REQUEST")),
        .visitCancelled(VisitCancelled(visitId: "v-c1d1", trialId: "NCT01234567", cancelledBy: .coordinator, reasonCode: "SITE_CAPACITY")),
        .visitCompleted(VisitCompleted(visitId: "v-c1d1", trialId: "NCT01234567", completedAt: 1_767_614_400_000)),
        .patientWithdrawn(PatientWithdrawn(trialId: "NCT01234567", reason: .adverseEvent, withdrawnAt: 1_767_700_000_000)),
    ]

    static let travelBodies: [TravelEvent.Body] = [
        .travelAssistanceRequested(
            TravelAssistanceRequested(
                requestId: "tr-1", trialId: "NCT01234567", visitId: "v-c1d1", pickup: pickup, dropOff: site, returnTrip: true,
                mobility: .wheelchair, companions: 1, language: "nl", contactToken: "ct-9f8e7d", preferredPartnerId: "medtaxi")),
        .travelAssistanceCancelled(
            TravelAssistanceCancelled(requestId: "tr-1", visitId: "v-c1d1", cancelledBy: .patient, reasonCode: "PATIENT_REQUEST")),
        .patientDataErasureRequested(PatientDataErasureRequested(erasureRequestId: "erase-77")),
    ]

    static let trialAccessBodies: [TrialAccessEvent.Body] = [
        .enrollmentStatusChanged(
            EnrollmentStatusChanged(
                trialId: "NCT01234567", siteId: "site-amc", previousState: .screening, state: .withdrawn,
                reasonCodes: ["CONSENT_WITHDRAWN"], withdrawalReason: .consentWithdrawn)),
        .slotReserved(SlotReserved(trialId: "NCT01234567", siteId: "site-amc", slotId: "slot-9b21", expiresAt: 1_768_521_600_000)),
        .slotReleased(SlotReleased(trialId: "NCT01234567", siteId: "site-amc", slotId: "slot-9b21", reason: .expired)),
        .visitPlanned(VisitPlanned(visit: visit, previousScheduledAt: 1_767_500_000_000)),
        .travelNeeded(TravelNeeded(visit: visit, destination: site, mobility: .stretcher, companions: 2, language: "es-US")),
        .travelNoLongerNeeded(TravelNoLongerNeeded(visitId: "v-c1d1", trialId: "NCT01234567", reason: .visitRescheduled)),
    ]

    static let leg = RideLeg(
        legId: "leg-out", direction: .outbound, pickupWindow: window, arriveByAt: 1_767_599_000_000, partnerId: "medtaxi",
        partnerRideId: "mt-123", status: .driverAssigned, partnerSequence: 4, etaAt: 1_767_598_000_000, cancelledBy: .partner,
        lateCancellation: true, reasonCode: "VEHICLE_PROBLEM", offerAttempts: 2, offerExpiresAt: 1_767_500_000_000)

    static let bookingBodies: [BookingEvent.Body] = [
        .rideRequested(
            RideRequested(
                booking: Booking(
                    bookingId: "bk-1", patientRef: "p-7f3a9c", trialId: "NCT01234567", visitId: "v-c1d1",
                    legs: [leg, RideLeg(legId: "leg-ret", direction: .return)], mobility: .ambulatory, companions: 1,
                    language: "nl", travelRequestId: "tr-1", createdAt: 1_767_400_000_000, updatedAt: 1_767_400_000_001))),
        .rideOffered(RideOffered(bookingId: "bk-1", legId: "leg-out", partnerId: "medtaxi", offerExpiresAt: 1_767_401_000_000, attempt: 2)),
        .rideConfirmed(
            RideConfirmed(bookingId: "bk-1", legId: "leg-out", partnerId: "medtaxi", partnerRideId: "mt-123", etaAt: 1_767_598_000_000)),
        .rideStatusChanged(
            RideStatusChanged(
                bookingId: "bk-1", legId: "leg-out", partnerId: "medtaxi", previousStatus: .arriving, status: .pickedUp,
                partnerSequence: UInt64.max, etaAt: 1_767_599_000_000, reasonCode: "ON_TIME")),
        .rideCancelled(RideCancelled(bookingId: "bk-1", legId: "leg-ret", cancelledBy: .system, lateCancellation: true, reasonCode: "VISIT_CANCELLED")),
        .rideNeedsAttention(
            RideNeedsAttention(bookingId: "bk-1", legId: "leg-out", reason: .patientNoShow, lastStatus: .noShow, reasonCode: "NO_SHOW")),
    ]

    static let partnerBodies: [PartnerRideCommand.Body] = [
        .rideOffer(
            RideOffer(
                bookingId: "bk-1", legId: "leg-out", pickupWindow: window, mobility: .wheelchair, companions: 1,
                offerExpiresAt: 1_767_401_000_000,
                pickupArea: CoarseArea(cellCentre: GeoPoint(latitude: 52.37, longitude: 4.89), radiusM: 1_274),
                dropOffArea: CoarseArea(cellCentre: GeoPoint(latitude: 52.09, longitude: 5.11), radiusM: 1_275),
                distanceM: 37_500)),
        .rideConfirmation(
            RideConfirmation(
                bookingId: "bk-1", legId: "leg-out", pickup: pickup, dropOff: site, pickupWindow: window, language: "nl",
                contactToken: "ct-9f8e7d")),
        .rideCancellation(RideCancellation(bookingId: "bk-1", legId: "leg-out", lateCancellation: true, forgetRideDetails: true)),
    ]

    /// One message of each envelope body, plus the non-envelope payloads, as (name, bytes, decode).
    static var everyMessage: [any WireMessage] {
        var all: [any WireMessage] = []
        all += enrollmentBodies.map(enrollment)
        all += travelBodies.map {
            TravelEvent(eventId: "e-travel", occurredAt: -1, source: "ctms.site-042", patientRef: "p-7f3a9c", body: $0)
        }
        all += trialAccessBodies.map {
            TrialAccessEvent(eventId: "e-access", occurredAt: 1_767_312_000_001, source: "trial-access", patientRef: "p-7f3a9c", body: $0)
        }
        all += bookingBodies.map {
            BookingEvent(eventId: "e-booking", occurredAt: 1_767_312_000_002, source: "transport", patientRef: "p-7f3a9c", body: $0)
        }
        all += partnerBodies.map { PartnerRideCommand(eventId: "e-partner", occurredAt: 1_767_312_000_003, source: "trialtransit", body: $0) }
        all.append(trialDefinition)
        all.append(immunotherapyTrialDefinition)
        all.append(enrollment(.patientReferred(immunotherapyReferral)))
        all.append(partnerUpdate)
        all.append(audit)
        all.append(HealthCheckResponse(status: .notServing))
        return all
    }

    static let trialDefinition = TrialDefinition(
        trialId: "NCT01234567", title: "Ünïcode title — a lung cancer trial 🫁", phase: .phase2_3, recruitingStatus: .recruiting,
        criteria: EligibilityCriteria(
            conditionCodes: ["C34"], excludedConditionCodes: ["C79.3"], stages: ["IIIB", "IV"], minAgeYears: 18, maxAgeYears: 85,
            maxEcog: 0,
            requiredBiomarkers: [BiomarkerRequirement(code: "PDL1_TPS", comparison: .greaterOrEqual, threshold: 50, unit: "%")],
            excludedPriorTherapies: ["ANTI_PD1"]),
        sites: [TrialSite(siteId: "site-amc", name: "Amsterdam UMC", location: site, screeningCapacity: 4, recruiting: true)],
        updatedAt: 1_767_000_000_000)

    /// Every immunotherapy criterion (EligibilityCriteria fields 9-18) non-default.
    static let immunotherapyTrialDefinition = TrialDefinition(
        trialId: "NCT09900201", title: "Primera línea anti-PD-1 en CPNM con PD-L1 TPS ≥ 50 %",
        phase: .phase3, recruitingStatus: .recruiting,
        criteria: EligibilityCriteria(
            conditionCodes: ["C34"], sexes: [.female, .male], histologyCodes: ["8140", "807"], excludedHistologyCodes: ["8041"],
            pdL1Requirements: [PdL1Requirement(scoreType: .tps, comparison: .greaterOrEqual, threshold: 50, assays: ["22C3"])],
            microsatelliteRequirement: .stableAndPmmr,
            tmbRequirement: TmbRequirement(comparison: .less, thresholdMutationsPerMb: 10),
            priorTherapy: PriorTherapyRequirement(
                minPriorLines: 1, maxPriorLines: 0, excludedAgents: [CodedConcept(system: "http://www.whocc.no/atc", code: "L01FF")],
                requiredAgents: [CodedConcept(system: "http://www.whocc.no/atc", code: "L01XA")]),
            labRequirements: [
                LabRequirement(code: "ANC", unit: "10*9/L", min: 1.5, max: 0, maxUlnMultiple: 0, maxAgeDays: 14),
                LabRequirement(code: "AST", maxUlnMultiple: 2.5, maxAgeDays: 14),
            ],
            measurableDisease: .recist1_1,
            immunotherapyExclusions: ImmunotherapyExclusions(
                autoimmuneTreatmentLookbackDays: 730, maxPrednisoneEquivalentMgPerDay: 0, excludePriorPneumonitis: true,
                excludeActiveCnsMetastases: true, excludeOrganTransplant: true)),
        sites: [TrialSite(siteId: "es-mad-12oct", name: "Hospital Universitario 12 de Octubre", location: site, screeningCapacity: 3, recruiting: true)],
        updatedAt: 1_767_000_000_000)

    /// Every immunotherapy fact (PatientReferred fields 17-26) non-default.
    static let immunotherapyReferral = PatientReferred(
        referralId: "ref-2026-0043", trialId: "NCT09900201", conditionCode: "C34.1", stage: "IV", ageYears: 0, ecog: 0,
        sex: .female, histologyCode: "8140/3",
        pdL1Results: [PdL1Result(scoreType: .tps, value: 62.5, assay: "22C3", measuredAt: 1_767_225_600_000)],
        microsatelliteStatus: .stable, mismatchRepairStatus: .proficient,
        tmb: TmbResult(mutationsPerMb: 0, assay: "FoundationOne CDx", measuredAt: -1),
        treatmentHistory: TreatmentHistory(priorLines: 0, priorAgents: []),
        labResults: [LabResult(code: "ANC", value: 3.1, unit: "10*9/L", upperLimitOfNormal: 7.5, measuredAt: 1_767_225_600_000)],
        diseaseAssessment: DiseaseAssessment(criteria: .irecist, measurable: true, assessedAt: 1_767_225_600_000),
        immunotherapyRiskFactors: ImmunotherapyRiskFactors(
            autoimmuneDiseaseSystemicTreatment: .present, autoimmuneSystemicTreatmentLastAt: 1_700_000_000_000,
            prednisoneEquivalentMgPerDay: 0, priorPneumonitis: .absent, activeCnsMetastases: .absent, organTransplant: .present))

    static let partnerUpdate = PartnerRideUpdate(
        eventId: "pu-1", occurredAt: 1_767_598_000_000, partnerId: "medtaxi", bookingId: "bk-1", legId: "leg-out",
        partnerRideId: "mt-123", status: .accepted, sequence: 1, etaAt: 1_767_598_500_000, reason: .noDriver)

    static let audit = AuditRecord(
        auditId: "audit-1", occurredAt: 1_767_312_000_000, actor: "ops:jdoe", action: .replay, subject: "topic:enrollment.events.v1",
        details: ["replay-id": "r-42", "from": "1767300000000", "to": "1767312000000", "": "empty key"],
        counts: AuditCounts(messagesRead: 10, messagesPublished: 9, messagesSkipped: 1, messagesFailed: 0))
}
