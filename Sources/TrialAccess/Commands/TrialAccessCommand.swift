/// An input to trial access: an `enrollment.events.v1` event, a `travel.requests.v1` event, a
/// TrialAccess RPC call, a fired reservation timer, or a slot offer the worker wrote itself. The body cases are named after the proto
/// bodies they mirror.
public struct TrialAccessCommand: Sendable, Hashable {
    /// Unique id of the input; every output id derives from it. For an event, its `event_id`; for
    /// an RPC call, a stable id such as `rpc:<Method>:<idempotency-key>`; for a timer,
    /// ``ReservationTimer/firingEventID``.
    public var eventID: String
    /// Pseudonymous patient reference (the Kafka key).
    public var patientRef: String
    /// When the fact happened in the source, unix ms (0 = not given: the decision time is used).
    public var occurredAt: Int64
    public var body: Body

    public init(eventID: String, patientRef: String, occurredAt: Int64 = 0, body: Body) {
        self.eventID = eventID
        self.patientRef = patientRef
        self.occurredAt = occurredAt
        self.body = body
    }

    /// What the input says.
    public enum Body: Sendable, Hashable {
        /// `PatientReferred` / `RequestTrialAccess`: match and reserve a slot.
        case patientReferred(PatientReferral)
        /// `ConsentRecorded` / `RecordConsent`.
        case consentRecorded(Consent)
        /// `ConsentWithdrawn`.
        case consentWithdrawn(ConsentWithdrawal)
        /// `ScreeningCompleted`.
        case screeningCompleted(ScreeningResult)
        /// `EnrollmentConfirmed`.
        case enrollmentConfirmed(EnrollmentConfirmation)
        /// `VisitScheduled`.
        case visitScheduled(Visit)
        /// `VisitRescheduled`.
        case visitRescheduled(VisitReschedule)
        /// `VisitCancelled`.
        case visitCancelled(VisitCancellation)
        /// `VisitCompleted`.
        case visitCompleted(VisitCompletion)
        /// `PatientWithdrawn` / `WithdrawPatient`.
        case patientWithdrawn(PatientWithdrawal)
        /// `TravelAssistanceRequested` (`travel.requests.v1`), without pickup or contact token.
        case travelAssistanceRequested(TravelAssistanceRequest)
        /// `TravelAssistanceCancelled` (`travel.requests.v1`).
        case travelAssistanceCancelled(TravelAssistanceCancellation)
        /// `PatientDataErasureRequested` (`travel.requests.v1`).
        case patientDataErasureRequested(erasureRequestID: String)
        /// A ``ReservationTimer`` fired.
        case reservationExpired(ReservationExpiry)
        /// `WaitlistSlotOffered`: a freed slot held for this waiting patient (written by
        /// ``TrialAccessEngine`` in the transaction that freed it, see ``TrialAccessOutcome/offers``).
        case waitlistSlotOffered(WaitlistSlotOffer)
        /// `RideNeedsAttention` (`transport.booking.events.v1`) with a transport reason: the visit is at risk.
        case rideNeedsAttention(TransportRiskReport)
        /// `RideConfirmed` (`transport.booking.events.v1`): a leg has a partner, which clears its risk.
        case rideConfirmed(ConfirmedRide)
        /// `AdverseEventReported`.
        case adverseEventReported(AdverseEventReport)

        /// Proto body name, for messages and logs.
        public var name: String {
            switch self {
            case .patientReferred: "PatientReferred"
            case .consentRecorded: "ConsentRecorded"
            case .consentWithdrawn: "ConsentWithdrawn"
            case .screeningCompleted: "ScreeningCompleted"
            case .enrollmentConfirmed: "EnrollmentConfirmed"
            case .visitScheduled: "VisitScheduled"
            case .visitRescheduled: "VisitRescheduled"
            case .visitCancelled: "VisitCancelled"
            case .visitCompleted: "VisitCompleted"
            case .patientWithdrawn: "PatientWithdrawn"
            case .travelAssistanceRequested: "TravelAssistanceRequested"
            case .travelAssistanceCancelled: "TravelAssistanceCancelled"
            case .patientDataErasureRequested: "PatientDataErasureRequested"
            case .reservationExpired: "ReservationExpired"
            case .waitlistSlotOffered: "WaitlistSlotOffered"
            case .rideNeedsAttention: "RideNeedsAttention"
            case .rideConfirmed: "RideConfirmed"
            case .adverseEventReported: "AdverseEventReported"
            }
        }
    }
}
