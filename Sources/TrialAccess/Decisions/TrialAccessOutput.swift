import TransitDomain

/// An event for `trial.access.events.v1` (key = `patientRef`), mirroring the `TrialAccessEvent`
/// envelope and its bodies.
public struct TrialAccessOutput: Sendable, Hashable {
    /// Deterministic: `<cause>/<kind>[/<detail>]`, where the cause is the input event id (see
    /// docs/TRIAL_ACCESS.md), so a re-run yields the same ids.
    public var eventID: String
    /// Patient the event is about; the Kafka key. A waitlist promotion emits events for another
    /// patient than the input's.
    public var patientRef: String
    /// Decision time (`now`), unix ms.
    public var occurredAt: Int64
    /// Input event id that caused it.
    public var sourceEventID: String
    public var body: Body

    /// The event bodies of `trial_access.proto`.
    public enum Body: Sendable, Hashable {
        case statusChanged(EnrollmentStatusChange)
        case slotReserved(SlotReservation)
        case slotReleased(SlotRelease)
        case visitPlanned(VisitPlan)
        case travelNeeded(TravelNeed)
        case travelNoLongerNeeded(TravelRetraction)
        case visitAtRisk(VisitRisk)
        case visitRiskCleared(VisitRiskClearance)
    }

    public init(eventID: String, patientRef: String, occurredAt: Int64, sourceEventID: String, body: Body) {
        self.eventID = eventID
        self.patientRef = patientRef
        self.occurredAt = occurredAt
        self.sourceEventID = sourceEventID
        self.body = body
    }
}

/// `EnrollmentStatusChanged`: the patient's state in a trial changed (or a referral was
/// re-evaluated: then `previousState` may equal `state`).
public struct EnrollmentStatusChange: Sendable, Hashable {
    public var trialID: String
    public var siteID: String?
    public var previousState: EnrollmentState
    public var state: EnrollmentState
    /// Criterion codes or the cause (``StatusReason``).
    public var reasonCodes: [String]
    public var withdrawalReason: WithdrawalReason?

    public init(
        trialID: String, siteID: String?, previousState: EnrollmentState, state: EnrollmentState, reasonCodes: [String],
        withdrawalReason: WithdrawalReason? = nil
    ) {
        self.trialID = trialID
        self.siteID = siteID
        self.previousState = previousState
        self.state = state
        self.reasonCodes = reasonCodes
        self.withdrawalReason = withdrawalReason
    }
}

/// `SlotReserved`: a screening slot was taken (capacity down by one).
public struct SlotReservation: Sendable, Hashable {
    public var trialID: String
    public var siteID: String
    public var slotID: String
    /// When the reservation lapses unless screening starts (a ``ReservationTimer`` fires then).
    /// When screening starts in the same decision no timer is set.
    public var expiresAt: Int64
    /// Great-circle distance from the patient's home area, whole km.
    public var distanceKm: Int

    public init(trialID: String, siteID: String, slotID: String, expiresAt: Int64, distanceKm: Int) {
        self.trialID = trialID
        self.siteID = siteID
        self.slotID = slotID
        self.expiresAt = expiresAt
        self.distanceKm = distanceKm
    }
}

/// Why a slot went back (mirrors `trialtransit.v1.SlotReleaseReason`).
public enum SlotReleaseReason: String, Sendable, Hashable, ProtoNumbered {
    /// Screening did not start before the reservation lapsed.
    case expired
    /// Screening finished (passed or failed).
    case screeningCompleted = "screening-completed"
    /// The patient withdrew or withdrew PARTICIPATION consent.
    case patientWithdrawn = "patient-withdrawn"
    /// The trial or the site stopped recruiting (a re-evaluation found it closed).
    case trialClosed = "trial-closed"
    /// A re-evaluated referral no longer qualifies for the held site.
    case other
}

/// `SlotReleased`: a screening slot went back to the site (capacity up by one).
public struct SlotRelease: Sendable, Hashable {
    public var trialID: String
    public var siteID: String
    public var slotID: String
    public var reason: SlotReleaseReason

    public init(trialID: String, siteID: String, slotID: String, reason: SlotReleaseReason) {
        self.trialID = trialID
        self.siteID = siteID
        self.slotID = slotID
        self.reason = reason
    }
}

/// `VisitPlanned`: a visit entered the plan or moved.
public struct VisitPlan: Sendable, Hashable {
    public var visit: Visit
    /// Previous appointment start when the visit moved; nil for a new visit.
    public var previousScheduledAt: Int64?
    /// The appointment lies outside the protocol window given at scheduling
    /// (`VisitPlanned.window_at_risk`).
    public var windowAtRisk: Bool

    /// `VisitPlanned.window_risk_reason`: ``VisitRiskReason/outsideProtocolWindow`` when the window
    /// is at risk, nil otherwise.
    public var windowRiskReason: VisitRiskReason? { windowAtRisk ? .outsideProtocolWindow : nil }

    public init(visit: Visit, previousScheduledAt: Int64?, windowAtRisk: Bool) {
        self.visit = visit
        self.previousScheduledAt = previousScheduledAt
        self.windowAtRisk = windowAtRisk
    }
}

/// `TravelNeeded`: a planned visit needs rides. Sent only with TRANSPORT consent held and a travel
/// request covering the visit. Carries no pickup data: the transport worker joins it with the
/// patient's `TravelAssistanceRequested`.
public struct TravelNeed: Sendable, Hashable {
    public var visit: Visit
    /// Site location, the default drop-off.
    public var destination: SiteLocation
    public var mobility: Mobility?
    public var companions: Int
    public var language: String?
    /// An urgent visit: transport offers its rides with the earliest pickup. Carries no reason.
    public var urgent: Bool

    public init(
        visit: Visit, destination: SiteLocation, mobility: Mobility?, companions: Int, language: String?,
        urgent: Bool = false
    ) {
        self.visit = visit
        self.destination = destination
        self.mobility = mobility
        self.companions = companions
        self.language = language
        self.urgent = urgent
    }
}

/// Why rides for a visit are no longer needed (`TravelNoLongerNeededReason`, defined once in
/// `TransitDomain` and shared with transport).
public typealias TravelRetractionReason = TransitDomain.TravelNoLongerNeededReason

/// `TravelNoLongerNeeded`: rides for a visit must be cancelled.
public struct TravelRetraction: Sendable, Hashable {
    public var visitID: String
    public var trialID: String
    public var reason: TravelRetractionReason

    public init(visitID: String, trialID: String, reason: TravelRetractionReason) {
        self.visitID = visitID
        self.trialID = trialID
        self.reason = reason
    }
}

/// `VisitAtRisk`: a ride to or from a planned visit needs a coordinator; the visit may be missed.
public struct VisitRisk: Sendable, Hashable {
    public var trialID: String
    public var visitID: String
    public var risk: VisitTransportRisk

    public init(trialID: String, visitID: String, risk: VisitTransportRisk) {
        self.trialID = trialID
        self.visitID = visitID
        self.risk = risk
    }
}

/// `VisitRiskCleared`: a leg that put a planned visit at risk has a confirmed ride again.
public struct VisitRiskClearance: Sendable, Hashable {
    public var trialID: String
    public var visitID: String
    public var bookingID: String
    public var legID: String
    /// Event id of the `RideConfirmed`.
    public var sourceEventID: String

    public init(trialID: String, visitID: String, bookingID: String, legID: String, sourceEventID: String) {
        self.trialID = trialID
        self.visitID = visitID
        self.bookingID = bookingID
        self.legID = legID
        self.sourceEventID = sourceEventID
    }
}
