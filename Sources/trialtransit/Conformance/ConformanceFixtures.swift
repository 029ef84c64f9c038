import TransitWire

/// The Swift half of the cross-language conformance fixtures (Tests/Conformance/fixtures.py holds
/// the same values, written independently with the Python classes that protoc generates).
///
/// Every field is set to a value other than its default, except where a fixture says otherwise:
/// the values exercise UTF-8 text, negative and fractional doubles, 64-bit integers beyond the
/// int64 and double-precision ranges, presence of a zero (`ecog = 0`), absence (`ecog` unset), a
/// map, and an enum number the protos do not declare.
enum ConformanceFixtures {
    /// Fixture name -> message. Names are `<area>.<what>`.
    static let all: [String: any WireMessage] = [
        "enrollment.patient_referred": patientReferred,
        "enrollment.visit_rescheduled": visitRescheduled,
        "enrollment.unknown_enum_mobility": unknownEnumMobility,
        "enrollment.ecog_absent": ecogAbsent,
        "travel.assistance_requested": travelAssistanceRequested,
        "catalog.trial_definition": trialDefinition,
        "access.enrollment_status_changed": enrollmentStatusChanged,
        "booking.ride_status_changed": rideStatusChanged,
        "partner.ride_offer": rideOffer,
        "partner.ride_confirmation": rideConfirmation,
        "partner.ride_update": rideUpdate,
        "audit.record": auditRecord,
        "health.check_response": healthCheckResponse,
    ]

    /// Fixture names in a stable order.
    static var names: [String] { all.keys.sorted() }

    // MARK: Shared values

    static let trialID = "NCT05012345"
    static let patientRef = "pt-7Q2XK9"
    /// The WHO ATC classification (coded prior agents and excluded / required agents).
    static let atc = "http://www.whocc.no/atc"

    static let brestPickup = Location(
        point: GeoPoint(latitude: 48.3904, longitude: -4.4861),
        addressText: "12 Rue de l'Église, 29200 Brest")

    static let saintLouis = Location(
        point: GeoPoint(latitude: 48.8719, longitude: 2.3684),
        addressText: "Hôpital Saint-Louis, 1 Avenue Claude Vellefaux, 75010 Paris")

    // MARK: Fixtures

    static let patientReferred = EnrollmentEvent(
        eventId: "evt-enr-0001-7f3c9a2e",
        occurredAt: 1_767_312_005_000,
        source: "matching-app",
        patientRef: patientRef,
        body: .patientReferred(
            PatientReferred(
                referralId: "ref-2026-0001",
                trialId: trialID,
                conditionCode: "C34.1",
                conditionSystem: "http://hl7.org/fhir/sid/icd-10",
                stage: "IIIA",
                ageYears: 67,
                ecog: 0,
                biomarkers: [
                    BiomarkerResult(code: "EGFR_L858R", value: 1, unit: "positive", measuredAt: 1_764_720_000_000),
                    BiomarkerResult(code: "PDL1_TPS", value: 62.5, unit: "%", measuredAt: 1_765_324_800_000),
                ],
                priorTherapies: ["CARBOPLATIN", "PEMETREXED"],
                homeLocation: GeoPoint(latitude: 48.3904, longitude: -4.4861),
                maxTravelKm: 150,
                mobility: .wheelchair,
                companions: 1,
                language: "fr-FR",
                consents: [
                    Consent(scope: .participation, version: "ICF-v3.2", grantedAt: 1_767_225_600_000, trialId: trialID),
                    Consent(scope: .transport, version: "TRN-v1.0", grantedAt: 1_767_225_660_000, trialId: trialID),
                ],
                referringOrganizationId: "org-onco-brest-07",
                sex: .male,
                histologyCode: "8140/3",
                pdL1Results: [PdL1Result(scoreType: .tps, value: 62.5, assay: "22C3", measuredAt: 1_765_324_800_000)],
                microsatelliteStatus: .stable,
                mismatchRepairStatus: .proficient,
                tmb: TmbResult(mutationsPerMb: 7.25, assay: "FoundationOne CDx", measuredAt: 1_765_324_800_000),
                treatmentHistory: TreatmentHistory(
                    priorLines: 1,
                    priorAgents: [CodedConcept(system: atc, code: "L01XA02"), CodedConcept(system: atc, code: "L01BA04")]),
                labResults: [
                    LabResult(
                        code: "ANC", value: 3.4, unit: "10*9/L", upperLimitOfNormal: 7.5, measuredAt: 1_767_139_200_000),
                    LabResult(
                        code: "AST", value: 31, unit: "U/L", upperLimitOfNormal: 40, measuredAt: 1_767_139_200_000),
                ],
                diseaseAssessment: DiseaseAssessment(criteria: .recist1_1, measurable: true, assessedAt: 1_766_966_400_000),
                immunotherapyRiskFactors: ImmunotherapyRiskFactors(
                    autoimmuneDiseaseSystemicTreatment: .present, autoimmuneSystemicTreatmentLastAt: 1_700_000_000_000,
                    prednisoneEquivalentMgPerDay: 5, priorPneumonitis: .absent, activeCnsMetastases: .absent,
                    organTransplant: .absent))))

    static let visitRescheduled = EnrollmentEvent(
        eventId: "evt-enr-0002-b81d",
        occurredAt: 1_767_398_400_123,
        source: "ctms.site-042",
        patientRef: patientRef,
        body: .visitRescheduled(
            VisitRescheduled(
                visit: Visit(
                    visitId: "vis-C1D1-0001",
                    trialId: trialID,
                    siteId: "site-042",
                    visitCode: "C1D1",
                    scheduledAt: 1_768_809_600_000,
                    protocolWindow: TimeWindow(startAt: 1_768_636_800_000, endAt: 1_768_982_400_000),
                    durationMinutes: 240),
                previousScheduledAt: 1_768_723_200_000,
                reasonCode: "SITE_CAPACITY")))

    /// `mobility` carries 42, a number the protos do not declare: it must survive decoding.
    static let unknownEnumMobility = EnrollmentEvent(
        eventId: "evt-enr-0003-unknown-enum",
        occurredAt: 1_767_312_010_000,
        source: "matching-app",
        patientRef: "pt-3M8WQ1",
        body: .patientReferred(
            PatientReferred(
                referralId: "ref-2026-0002",
                trialId: trialID,
                conditionCode: "C50.9",
                ecog: 2,
                mobility: Mobility(rawValue: 42))))

    /// `ecog` is absent (unknown), `age_years` present.
    static let ecogAbsent = EnrollmentEvent(
        eventId: "evt-enr-0004-ecog-absent",
        occurredAt: 1_767_312_020_000,
        source: "matching-app",
        patientRef: "pt-5H1ZR4",
        body: .patientReferred(
            PatientReferred(
                referralId: "ref-2026-0003",
                conditionCode: "C18.7",
                stage: "IV",
                ageYears: 71,
                ecog: nil,
                maxTravelKm: 80,
                mobility: .ambulatory)))

    static let travelAssistanceRequested = TravelEvent(
        eventId: "evt-trv-0001",
        occurredAt: 1_767_400_000_000,
        source: "coordinator-portal",
        patientRef: patientRef,
        body: .travelAssistanceRequested(
            TravelAssistanceRequested(
                requestId: "tr-req-0001",
                trialId: trialID,
                visitId: "vis-C1D1-0001",
                pickup: brestPickup,
                dropOff: saintLouis,
                returnTrip: true,
                mobility: .wheelchair,
                companions: 2,
                language: "fr-FR",
                contactToken: "ctk_9f8e7d6c5b4a",
                preferredPartnerId: "medivan-bzh")))

    static let trialDefinition = TrialDefinition(
        trialId: trialID,
        title: "Étude ÉCLAIR — phase 2, osimertinib + X, CBNPC EGFR muté",
        phase: .phase2,
        recruitingStatus: .recruiting,
        criteria: EligibilityCriteria(
            conditionCodes: ["C34.1", "C34.9"],
            excludedConditionCodes: ["C71"],
            stages: ["IIIA", "IIIB", "IV"],
            minAgeYears: 18,
            maxAgeYears: 85,
            maxEcog: 1,
            requiredBiomarkers: [
                BiomarkerRequirement(code: "EGFR_L858R", comparison: .equal, threshold: 1, unit: "positive"),
                BiomarkerRequirement(code: "PDL1_TPS", comparison: .greaterOrEqual, threshold: 50.5, unit: "%"),
            ],
            excludedPriorTherapies: ["OSIMERTINIB"],
            sexes: [.female, .male],
            histologyCodes: ["8140", "807"],
            excludedHistologyCodes: ["8041"],
            pdL1Requirements: [
                PdL1Requirement(scoreType: .tps, comparison: .greaterOrEqual, threshold: 50.5, assays: ["22C3", "SP263"])
            ],
            microsatelliteRequirement: .stableAndPmmr,
            tmbRequirement: TmbRequirement(comparison: .less, thresholdMutationsPerMb: 10),
            priorTherapy: PriorTherapyRequirement(
                minPriorLines: 1, maxPriorLines: 2, excludedAgents: [CodedConcept(system: atc, code: "L01FF")],
                requiredAgents: [CodedConcept(system: atc, code: "L01XA")]),
            labRequirements: [
                LabRequirement(code: "ANC", unit: "10*9/L", min: 1.5, max: 20, maxUlnMultiple: 3, maxAgeDays: 14),
            ],
            measurableDisease: .recist1_1,
            immunotherapyExclusions: ImmunotherapyExclusions(
                autoimmuneTreatmentLookbackDays: 730, maxPrednisoneEquivalentMgPerDay: 10, excludePriorPneumonitis: true,
                excludeActiveCnsMetastases: true, excludeOrganTransplant: true)),
        sites: [
            TrialSite(
                siteId: "site-042", name: "Hôpital Saint-Louis", location: saintLouis, screeningCapacity: 12,
                recruiting: true),
            TrialSite(
                siteId: "site-107", name: "Centre Léon Bérard",
                location: Location(
                    point: GeoPoint(latitude: 45.7422, longitude: 4.8826), addressText: "28 Rue Laennec, 69008 Lyon"),
                screeningCapacity: 5, recruiting: true),
        ],
        updatedAt: 1_767_000_000_000,
        patientStatusTexts: [
            PatientStatusText(
                state: .eligible, language: "fr", summary: "Une place de sélection vous attend à {site_name}.",
                nextSteps: "L'équipe de l'étude « {trial_title} » vous appellera.")
        ],
        adverseEventRules: AdverseEventRules(
            safetyVisitWithinHours: 48, discontinuingTermCodes: ["10035742"], dosingVisitCodes: ["C1D1", "C2D1"]))

    static let enrollmentStatusChanged = TrialAccessEvent(
        eventId: "evt-acc-0001-ref-2026-0001",
        occurredAt: 1_767_312_006_500,
        source: "trial-access",
        patientRef: patientRef,
        body: .enrollmentStatusChanged(
            EnrollmentStatusChanged(
                trialId: trialID,
                siteId: "site-042",
                previousState: .onStudy,
                state: .withdrawn,
                reasonCodes: ["CONSENT_WITHDRAWN", "SLOT_RELEASED"],
                withdrawalReason: .consentWithdrawn)))

    static let rideStatusChanged = BookingEvent(
        eventId: "evt-bkg-0001",
        occurredAt: 1_768_806_000_000,
        source: "transport",
        patientRef: patientRef,
        body: .rideStatusChanged(
            RideStatusChanged(
                bookingId: "bkg-0001",
                legId: "bkg-0001-out",
                partnerId: "medivan-bzh",
                previousStatus: .driverAssigned,
                status: .arriving,
                partnerSequence: 7,
                etaAt: 1_768_806_600_000,
                reasonCode: "TRAFFIC_DELAY")))

    static let rideOffer = PartnerRideCommand(
        eventId: "evt-ptn-0001",
        occurredAt: 1_768_700_000_000,
        source: "transport",
        body: .rideOffer(
            RideOffer(
                bookingId: "bkg-0001",
                legId: "bkg-0001-out",
                pickupWindow: TimeWindow(startAt: 1_768_798_800_000, endAt: 1_768_800_600_000),
                mobility: .stretcher,
                companions: 1,
                offerExpiresAt: 1_768_700_900_000,
                pickupArea: CoarseArea(cellCentre: GeoPoint(latitude: 48.39, longitude: -4.49), radiusM: 1_296),
                dropOffArea: CoarseArea(cellCentre: GeoPoint(latitude: 48.87, longitude: 2.37), radiusM: 1_293),
                distanceM: 505_500,
                urgent: true)))

    static let rideConfirmation = PartnerRideCommand(
        eventId: "evt-ptn-0002",
        occurredAt: 1_768_700_100_000,
        source: "transport",
        body: .rideConfirmation(
            RideConfirmation(
                bookingId: "bkg-0001",
                legId: "bkg-0001-out",
                pickup: brestPickup,
                dropOff: saintLouis,
                pickupWindow: TimeWindow(startAt: 1_768_798_800_000, endAt: 1_768_800_600_000),
                language: "fr-FR",
                contactToken: "ctk_9f8e7d6c5b4a")))

    /// `sequence` is above Int64.max (2^63 + 5).
    static let rideUpdate = PartnerRideUpdate(
        eventId: "medivan-upd-000123",
        occurredAt: 1_768_805_000_000,
        partnerId: "medivan-bzh",
        bookingId: "bkg-0001",
        legId: "bkg-0001-out",
        partnerRideId: "MV-88231",
        status: .noShow,
        sequence: 9_223_372_036_854_775_813,
        etaAt: 1_768_806_600_000,
        reason: .patientNotPresent)

    /// A map of three entries; counts beyond double precision (2^53 + 1) and at UInt64.max.
    static let auditRecord = AuditRecord(
        auditId: "aud-0001",
        occurredAt: 1_767_315_700_000,
        actor: "cli:ops-oncall",
        action: .replay,
        subject: "enrollment.events.v1",
        details: ["replay-id": "rp-20260102-01", "from": "1767312000000", "to": "1767315600000"],
        counts: AuditCounts(
            messagesRead: 9_007_199_254_740_993,
            messagesPublished: 1200,
            messagesSkipped: 3,
            messagesFailed: 18_446_744_073_709_551_615))

    static let healthCheckResponse = HealthCheckResponse(status: .serving)
}

/// Whole-value equality of two messages of any types (false when the types differ).
func conformanceEqual(_ lhs: any WireMessage, _ rhs: any WireMessage) -> Bool {
    func open<M: WireMessage>(_ lhs: M) -> Bool { (rhs as? M) == lhs }
    return open(lhs)
}
