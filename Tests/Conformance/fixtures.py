"""Python half of the cross-language conformance fixtures.

Written independently of the Swift side (Sources/trialtransit/Conformance/ConformanceFixtures.swift)
with the classes `protoc --python_out` generates from protos/; never derived from Swift output.
The two files must hold the same values: the suite checks each side against the other.

Every field is set to a value other than its default unless a fixture says otherwise. The values
exercise UTF-8 text, negative and fractional doubles, 64-bit integers beyond the int64 and
double-precision ranges, presence of a zero (ecog = 0), absence (ecog unset), a map, and an enum
number the protos do not declare (mobility 42).
"""

from trialtransit.v1 import (
    audit_pb2,
    catalog_pb2,
    clinical_pb2,
    common_pb2,
    enrollment_pb2,
    health_pb2,
    partner_pb2,
    transport_booking_pb2,
    travel_pb2,
    trial_access_pb2,
)

TRIAL_ID = "NCT05012345"
ATC = "http://www.whocc.no/atc"
PATIENT_REF = "pt-7Q2XK9"

# An enum number that no enum of the protos declares for Mobility.
UNKNOWN_MOBILITY = 42


def _brest_pickup():
    return common_pb2.Location(
        point=common_pb2.GeoPoint(latitude=48.3904, longitude=-4.4861),
        address_text="12 Rue de l'Église, 29200 Brest",
    )


def _saint_louis():
    return common_pb2.Location(
        point=common_pb2.GeoPoint(latitude=48.8719, longitude=2.3684),
        address_text="Hôpital Saint-Louis, 1 Avenue Claude Vellefaux, 75010 Paris",
    )


def patient_referred():
    return enrollment_pb2.EnrollmentEvent(
        event_id="evt-enr-0001-7f3c9a2e",
        occurred_at=1767312005000,
        source="matching-app",
        patient_ref=PATIENT_REF,
        patient_referred=enrollment_pb2.PatientReferred(
            referral_id="ref-2026-0001",
            trial_id=TRIAL_ID,
            condition_code="C34.1",
            condition_system="http://hl7.org/fhir/sid/icd-10",
            stage="IIIA",
            age_years=67,
            ecog=0,  # present with value 0
            biomarkers=[
                common_pb2.BiomarkerResult(code="EGFR_L858R", value=1.0, unit="positive", measured_at=1764720000000),
                common_pb2.BiomarkerResult(code="PDL1_TPS", value=62.5, unit="%", measured_at=1765324800000),
            ],
            prior_therapies=["CARBOPLATIN", "PEMETREXED"],
            home_location=common_pb2.GeoPoint(latitude=48.3904, longitude=-4.4861),
            max_travel_km=150,
            mobility=common_pb2.MOBILITY_WHEELCHAIR,
            companions=1,
            language="fr-FR",
            consents=[
                common_pb2.Consent(
                    scope=common_pb2.CONSENT_SCOPE_PARTICIPATION,
                    version="ICF-v3.2",
                    granted_at=1767225600000,
                    trial_id=TRIAL_ID,
                ),
                common_pb2.Consent(
                    scope=common_pb2.CONSENT_SCOPE_TRANSPORT,
                    version="TRN-v1.0",
                    granted_at=1767225660000,
                    trial_id=TRIAL_ID,
                ),
            ],
            referring_organization_id="org-onco-brest-07",
            sex=clinical_pb2.SEX_MALE,
            histology_code="8140/3",
            pd_l1_results=[
                clinical_pb2.PdL1Result(
                    score_type=clinical_pb2.PD_L1_SCORE_TYPE_TPS, value=62.5, assay="22C3", measured_at=1765324800000
                ),
            ],
            microsatellite_status=clinical_pb2.MICROSATELLITE_STATUS_STABLE,
            mismatch_repair_status=clinical_pb2.MISMATCH_REPAIR_STATUS_PROFICIENT,
            tmb=clinical_pb2.TmbResult(mutations_per_mb=7.25, assay="FoundationOne CDx", measured_at=1765324800000),
            treatment_history=clinical_pb2.TreatmentHistory(
                prior_lines=1,
                prior_agents=[
                    clinical_pb2.CodedConcept(system=ATC, code="L01XA02"),
                    clinical_pb2.CodedConcept(system=ATC, code="L01BA04"),
                ],
            ),
            lab_results=[
                clinical_pb2.LabResult(
                    code="ANC", value=3.4, unit="10*9/L", upper_limit_of_normal=7.5, measured_at=1767139200000
                ),
                clinical_pb2.LabResult(
                    code="AST", value=31.0, unit="U/L", upper_limit_of_normal=40.0, measured_at=1767139200000
                ),
            ],
            disease_assessment=clinical_pb2.DiseaseAssessment(
                criteria=clinical_pb2.RESPONSE_CRITERIA_RECIST_1_1, measurable=True, assessed_at=1766966400000
            ),
            immunotherapy_risk_factors=clinical_pb2.ImmunotherapyRiskFactors(
                autoimmune_disease_systemic_treatment=clinical_pb2.PRESENCE_PRESENT,
                autoimmune_systemic_treatment_last_at=1700000000000,
                prednisone_equivalent_mg_per_day=5.0,
                prior_pneumonitis=clinical_pb2.PRESENCE_ABSENT,
                active_cns_metastases=clinical_pb2.PRESENCE_ABSENT,
                organ_transplant=clinical_pb2.PRESENCE_ABSENT,
            ),
        ),
    )


def visit_rescheduled():
    return enrollment_pb2.EnrollmentEvent(
        event_id="evt-enr-0002-b81d",
        occurred_at=1767398400123,
        source="ctms.site-042",
        patient_ref=PATIENT_REF,
        visit_rescheduled=enrollment_pb2.VisitRescheduled(
            visit=enrollment_pb2.Visit(
                visit_id="vis-C1D1-0001",
                trial_id=TRIAL_ID,
                site_id="site-042",
                visit_code="C1D1",
                scheduled_at=1768809600000,
                protocol_window=common_pb2.TimeWindow(start_at=1768636800000, end_at=1768982400000),
                duration_minutes=240,
            ),
            previous_scheduled_at=1768723200000,
            reason_code="SITE_CAPACITY",
        ),
    )


def unknown_enum_mobility():
    referred = enrollment_pb2.PatientReferred(
        referral_id="ref-2026-0002",
        trial_id=TRIAL_ID,
        condition_code="C50.9",
        ecog=2,
    )
    # proto3 enums are open: a number the protos do not declare is kept as is.
    referred.mobility = UNKNOWN_MOBILITY
    return enrollment_pb2.EnrollmentEvent(
        event_id="evt-enr-0003-unknown-enum",
        occurred_at=1767312010000,
        source="matching-app",
        patient_ref="pt-3M8WQ1",
        patient_referred=referred,
    )


def ecog_absent():
    # ecog deliberately not set (unknown); age_years present.
    return enrollment_pb2.EnrollmentEvent(
        event_id="evt-enr-0004-ecog-absent",
        occurred_at=1767312020000,
        source="matching-app",
        patient_ref="pt-5H1ZR4",
        patient_referred=enrollment_pb2.PatientReferred(
            referral_id="ref-2026-0003",
            condition_code="C18.7",
            stage="IV",
            age_years=71,
            max_travel_km=80,
            mobility=common_pb2.MOBILITY_AMBULATORY,
        ),
    )


def travel_assistance_requested():
    return travel_pb2.TravelEvent(
        event_id="evt-trv-0001",
        occurred_at=1767400000000,
        source="coordinator-portal",
        patient_ref=PATIENT_REF,
        travel_assistance_requested=travel_pb2.TravelAssistanceRequested(
            request_id="tr-req-0001",
            trial_id=TRIAL_ID,
            visit_id="vis-C1D1-0001",
            pickup=_brest_pickup(),
            drop_off=_saint_louis(),
            return_trip=True,
            mobility=common_pb2.MOBILITY_WHEELCHAIR,
            companions=2,
            language="fr-FR",
            contact_token="ctk_9f8e7d6c5b4a",
            preferred_partner_id="medivan-bzh",
        ),
    )


def trial_definition():
    return catalog_pb2.TrialDefinition(
        trial_id=TRIAL_ID,
        title="Étude ÉCLAIR — phase 2, osimertinib + X, CBNPC EGFR muté",
        phase=catalog_pb2.TRIAL_PHASE_2,
        recruiting_status=catalog_pb2.RECRUITING_STATUS_RECRUITING,
        criteria=catalog_pb2.EligibilityCriteria(
            condition_codes=["C34.1", "C34.9"],
            excluded_condition_codes=["C71"],
            stages=["IIIA", "IIIB", "IV"],
            min_age_years=18,
            max_age_years=85,
            max_ecog=1,
            required_biomarkers=[
                catalog_pb2.BiomarkerRequirement(
                    code="EGFR_L858R", comparison=catalog_pb2.COMPARISON_EQUAL, threshold=1.0, unit="positive"
                ),
                catalog_pb2.BiomarkerRequirement(
                    code="PDL1_TPS", comparison=catalog_pb2.COMPARISON_GREATER_OR_EQUAL, threshold=50.5, unit="%"
                ),
            ],
            excluded_prior_therapies=["OSIMERTINIB"],
            sexes=[clinical_pb2.SEX_FEMALE, clinical_pb2.SEX_MALE],
            histology_codes=["8140", "807"],
            excluded_histology_codes=["8041"],
            pd_l1_requirements=[
                catalog_pb2.PdL1Requirement(
                    score_type=clinical_pb2.PD_L1_SCORE_TYPE_TPS,
                    comparison=catalog_pb2.COMPARISON_GREATER_OR_EQUAL,
                    threshold=50.5,
                    assays=["22C3", "SP263"],
                ),
            ],
            microsatellite_requirement=catalog_pb2.MICROSATELLITE_REQUIREMENT_STABLE_AND_PMMR,
            tmb_requirement=catalog_pb2.TmbRequirement(
                comparison=catalog_pb2.COMPARISON_LESS, threshold_mutations_per_mb=10.0
            ),
            prior_therapy=catalog_pb2.PriorTherapyRequirement(
                min_prior_lines=1,
                max_prior_lines=2,
                excluded_agents=[clinical_pb2.CodedConcept(system=ATC, code="L01FF")],
                required_agents=[clinical_pb2.CodedConcept(system=ATC, code="L01XA")],
            ),
            lab_requirements=[
                catalog_pb2.LabRequirement(
                    code="ANC", unit="10*9/L", min=1.5, max=20.0, max_uln_multiple=3.0, max_age_days=14
                ),
            ],
            measurable_disease=clinical_pb2.RESPONSE_CRITERIA_RECIST_1_1,
            immunotherapy_exclusions=catalog_pb2.ImmunotherapyExclusions(
                autoimmune_treatment_lookback_days=730,
                max_prednisone_equivalent_mg_per_day=10.0,
                exclude_prior_pneumonitis=True,
                exclude_active_cns_metastases=True,
                exclude_organ_transplant=True,
            ),
        ),
        sites=[
            catalog_pb2.TrialSite(
                site_id="site-042",
                name="Hôpital Saint-Louis",
                location=_saint_louis(),
                screening_capacity=12,
                recruiting=True,
            ),
            catalog_pb2.TrialSite(
                site_id="site-107",
                name="Centre Léon Bérard",
                location=common_pb2.Location(
                    point=common_pb2.GeoPoint(latitude=45.7422, longitude=4.8826),
                    address_text="28 Rue Laennec, 69008 Lyon",
                ),
                screening_capacity=5,
                recruiting=True,
            ),
        ],
        updated_at=1767000000000,
        patient_status_texts=[
            catalog_pb2.PatientStatusText(
                state=enrollment_pb2.ENROLLMENT_STATE_ELIGIBLE,
                language="fr",
                summary="Une place de sélection vous attend à {site_name}.",
                next_steps="L'équipe de l'étude « {trial_title} » vous appellera.",
            ),
        ],
        adverse_event_rules=catalog_pb2.AdverseEventRules(
            safety_visit_within_hours=48,
            discontinuing_term_codes=["10035742"],
            dosing_visit_codes=["C1D1", "C2D1"],
        ),
    )


def enrollment_status_changed():
    return trial_access_pb2.TrialAccessEvent(
        event_id="evt-acc-0001-ref-2026-0001",
        occurred_at=1767312006500,
        source="trial-access",
        patient_ref=PATIENT_REF,
        enrollment_status_changed=trial_access_pb2.EnrollmentStatusChanged(
            trial_id=TRIAL_ID,
            site_id="site-042",
            previous_state=enrollment_pb2.ENROLLMENT_STATE_ON_STUDY,
            state=enrollment_pb2.ENROLLMENT_STATE_WITHDRAWN,
            reason_codes=["CONSENT_WITHDRAWN", "SLOT_RELEASED"],
            withdrawal_reason=enrollment_pb2.WITHDRAWAL_REASON_CONSENT_WITHDRAWN,
        ),
    )


def ride_status_changed():
    return transport_booking_pb2.BookingEvent(
        event_id="evt-bkg-0001",
        occurred_at=1768806000000,
        source="transport",
        patient_ref=PATIENT_REF,
        ride_status_changed=transport_booking_pb2.RideStatusChanged(
            booking_id="bkg-0001",
            leg_id="bkg-0001-out",
            partner_id="medivan-bzh",
            previous_status=common_pb2.RIDE_STATUS_DRIVER_ASSIGNED,
            status=common_pb2.RIDE_STATUS_ARRIVING,
            partner_sequence=7,
            eta_at=1768806600000,
            reason_code="TRAFFIC_DELAY",
        ),
    )


def ride_offer():
    return partner_pb2.PartnerRideCommand(
        event_id="evt-ptn-0001",
        occurred_at=1768700000000,
        source="transport",
        ride_offer=partner_pb2.RideOffer(
            booking_id="bkg-0001",
            leg_id="bkg-0001-out",
            pickup_window=common_pb2.TimeWindow(start_at=1768798800000, end_at=1768800600000),
            mobility=common_pb2.MOBILITY_STRETCHER,
            companions=1,
            offer_expires_at=1768700900000,
            pickup_area=partner_pb2.CoarseArea(
                cell_centre=common_pb2.GeoPoint(latitude=48.39, longitude=-4.49), radius_m=1296),
            drop_off_area=partner_pb2.CoarseArea(
                cell_centre=common_pb2.GeoPoint(latitude=48.87, longitude=2.37), radius_m=1293),
            distance_m=505500,
            urgent=True,
        ),
    )


def ride_confirmation():
    return partner_pb2.PartnerRideCommand(
        event_id="evt-ptn-0002",
        occurred_at=1768700100000,
        source="transport",
        ride_confirmation=partner_pb2.RideConfirmation(
            booking_id="bkg-0001",
            leg_id="bkg-0001-out",
            pickup=_brest_pickup(),
            drop_off=_saint_louis(),
            pickup_window=common_pb2.TimeWindow(start_at=1768798800000, end_at=1768800600000),
            language="fr-FR",
            contact_token="ctk_9f8e7d6c5b4a",
        ),
    )


def ride_update():
    return partner_pb2.PartnerRideUpdate(
        event_id="medivan-upd-000123",
        occurred_at=1768805000000,
        partner_id="medivan-bzh",
        booking_id="bkg-0001",
        leg_id="bkg-0001-out",
        partner_ride_id="MV-88231",
        status=common_pb2.RIDE_STATUS_NO_SHOW,
        sequence=2**63 + 5,  # above int64 max
        eta_at=1768806600000,
        reason=partner_pb2.PARTNER_REASON_PATIENT_NOT_PRESENT,
    )


def audit_record():
    return audit_pb2.AuditRecord(
        audit_id="aud-0001",
        occurred_at=1767315700000,
        actor="cli:ops-oncall",
        action=audit_pb2.AUDIT_ACTION_REPLAY,
        subject="enrollment.events.v1",
        details={"replay-id": "rp-20260102-01", "from": "1767312000000", "to": "1767315600000"},
        counts=audit_pb2.AuditCounts(
            messages_read=2**53 + 1,  # not representable as a double
            messages_published=1200,
            messages_skipped=3,
            messages_failed=2**64 - 1,  # uint64 max
        ),
    )


def health_check_response():
    return health_pb2.HealthCheckResponse(status=health_pb2.SERVING_STATUS_SERVING)


# Fixture name -> builder. Names match the Swift side exactly.
BUILDERS = {
    "enrollment.patient_referred": patient_referred,
    "enrollment.visit_rescheduled": visit_rescheduled,
    "enrollment.unknown_enum_mobility": unknown_enum_mobility,
    "enrollment.ecog_absent": ecog_absent,
    "travel.assistance_requested": travel_assistance_requested,
    "catalog.trial_definition": trial_definition,
    "access.enrollment_status_changed": enrollment_status_changed,
    "booking.ride_status_changed": ride_status_changed,
    "partner.ride_offer": ride_offer,
    "partner.ride_confirmation": ride_confirmation,
    "partner.ride_update": ride_update,
    "audit.record": audit_record,
    "health.check_response": health_check_response,
}


def all_fixtures():
    """Fixture name -> a fresh message, in name order."""
    return {name: BUILDERS[name]() for name in sorted(BUILDERS)}
