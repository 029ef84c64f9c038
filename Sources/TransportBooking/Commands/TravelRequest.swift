/// All facts needed to book rides for one visit.
public struct TravelRequest: Sendable, Hashable {
    /// Where the request came from (recorded in the history as the reason code).
    public enum Origin: String, Sendable, Hashable, CaseIterable {
        case travelAssistanceRequested = "TRAVEL_ASSISTANCE_REQUESTED"
        case travelNeeded = "TRAVEL_NEEDED"
        case bookRide = "BOOK_RIDE"
    }

    /// Id of the input (event id; for `BookRide` `rpc:BookRide:<idempotency-key>` or `rpc:<correlation-id>`).
    public var eventID: String
    public var origin: Origin
    /// Pseudonymous patient reference.
    public var patientRef: String
    /// Trial of the visit; may be empty.
    public var trialID: String
    /// Visit the rides serve.
    public var visitID: String
    /// `TravelAssistanceRequested.request_id`, if any.
    public var travelRequestID: String?
    /// Appointment start, unix ms; nil only when `pickupWindow` is given.
    public var appointmentAt: Int64?
    /// Expected visit length, minutes; nil or 0 = unknown.
    public var visitDurationMinutes: UInt32?
    /// Explicit outbound pickup window (`BookRide.pickup_window`); nil = derived.
    public var pickupWindow: TimeWindow?
    /// Pickup location (personal data).
    public var pickup: Location
    /// Drop-off, already resolved (absent in the message = the visit's site location).
    public var dropOff: Location
    /// Also book the return leg (drop-off back to pickup).
    public var returnTrip: Bool
    /// Mobility, companions, language.
    public var needs: RideNeeds
    /// Opaque contact token for the partner (personal data); may be empty.
    public var contactToken: String
    /// Partner to try first.
    public var preferredPartnerID: String?
    /// The booking id this request books under: assigned by the wiring (a keyed id of the
    /// patient's visit, or the id of the visit's existing booking); empty until then.
    public var bookingID: String
    /// An urgent visit (from `TravelNeeded.urgent`): the outbound pickup is the earliest possible.
    public var urgent: Bool

    public init(
        eventID: String, origin: Origin, patientRef: String, trialID: String = "", visitID: String,
        travelRequestID: String? = nil, appointmentAt: Int64?, visitDurationMinutes: UInt32? = nil,
        pickupWindow: TimeWindow? = nil, pickup: Location, dropOff: Location, returnTrip: Bool, needs: RideNeeds,
        contactToken: String, preferredPartnerID: String? = nil, bookingID: String = "", urgent: Bool = false
    ) {
        self.urgent = urgent
        self.eventID = eventID
        self.origin = origin
        self.patientRef = patientRef
        self.trialID = trialID
        self.visitID = visitID
        self.travelRequestID = travelRequestID
        self.appointmentAt = appointmentAt
        self.visitDurationMinutes = visitDurationMinutes
        self.pickupWindow = pickupWindow
        self.pickup = pickup
        self.dropOff = dropOff
        self.returnTrip = returnTrip
        self.needs = needs
        self.contactToken = contactToken
        self.preferredPartnerID = preferredPartnerID
        self.bookingID = bookingID
    }
}
