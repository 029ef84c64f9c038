/// The booking aggregate: all rides for one (patient, visit).
///
/// Stored by the transport worker only. `patientRef` and `trialID` never leave TrialTransit
/// except on booking events (key = patient_ref); partner messages carry `bookingID` only.
public struct Booking: Codable, Sendable, Hashable {
    /// Deterministic, opaque id (a keyed hash of patient and visit, assigned by the wiring); key on partner topics.
    public var bookingID: String
    /// Pseudonymous patient reference.
    public var patientRef: String
    /// Visit the rides serve.
    public var visitID: String
    /// Trial of the visit; may be empty.
    public var trialID: String
    /// `TravelAssistanceRequested.request_id` this booking serves; nil when booked otherwise.
    public var travelRequestID: String?
    /// Appointment start, unix ms (implied from the window when a `BookRide` gave only a window).
    public var appointmentAt: Int64
    /// Expected visit length, minutes; nil = unknown (the default applies).
    public var visitDurationMinutes: UInt32?
    /// Outbound pickup window given explicitly by `BookRide`; nil = derived.
    public var requestedPickupWindow: TimeWindow?
    /// A return leg is wanted.
    public var returnTrip: Bool
    /// Needs of the current legs.
    public var needs: RideNeeds
    /// Partner to try first.
    public var preferredPartnerID: String?
    /// Current schedule revision (1, then +1 per rebooking).
    public var revision: Int
    /// Every leg ever booked, oldest first; the current ones have `revision == revision`.
    public var legs: [RideLeg]
    /// Creation time, unix ms.
    public var createdAt: Int64
    /// Last change, unix ms.
    public var updatedAt: Int64
    /// When addresses and contact tokens were last erased; nil = never. Legs booked after an
    /// erasure (from a new request) hold data again.
    public var personalDataErasedAt: Int64?
    /// The visit is urgent (trial access's `TravelNeeded.urgent`): the outbound leg is offered with
    /// the earliest pickup and every offer says urgent, without a reason.
    public var urgent: Bool {
        get { urgentMark ?? false }
        set { urgentMark = newValue ? true : nil }
    }
    /// Backs ``urgent``; optional so that JSON rows written before the flag existed still decode.
    private var urgentMark: Bool?

    public init(
        bookingID: String, patientRef: String, visitID: String, trialID: String, travelRequestID: String?,
        appointmentAt: Int64, visitDurationMinutes: UInt32?, requestedPickupWindow: TimeWindow?, returnTrip: Bool,
        needs: RideNeeds, preferredPartnerID: String?, revision: Int, legs: [RideLeg], createdAt: Int64,
        updatedAt: Int64, personalDataErasedAt: Int64? = nil, urgent: Bool = false
    ) {
        self.urgentMark = urgent ? true : nil
        self.bookingID = bookingID
        self.patientRef = patientRef
        self.visitID = visitID
        self.trialID = trialID
        self.travelRequestID = travelRequestID
        self.appointmentAt = appointmentAt
        self.visitDurationMinutes = visitDurationMinutes
        self.requestedPickupWindow = requestedPickupWindow
        self.returnTrip = returnTrip
        self.needs = needs
        self.preferredPartnerID = preferredPartnerID
        self.revision = revision
        self.legs = legs
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.personalDataErasedAt = personalDataErasedAt
    }

    /// Legs of the current schedule revision (outbound, then return).
    public var currentLegs: [RideLeg] { legs.filter { $0.revision == revision } }

    /// The leg with this id.
    public func leg(id: String) -> RideLeg? { legs.first { $0.legID == id } }

    /// True when some current leg is still open (not completed, cancelled or no-show; a leg waiting
    /// for a coordinator counts as open).
    public var hasActiveLegs: Bool { currentLegs.contains { !$0.status.isTerminal } }

    /// True when a command with this event id already changed the booking (replay protection).
    public func hasApplied(eventID: String) -> Bool {
        legs.contains { leg in leg.history.contains { $0.sourceEventID == eventID } }
    }
}
