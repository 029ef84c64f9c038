/// One ride of a booking, carried by one partner at a time.
///
/// `pickup`, `dropOff` and `contactToken` are the only personal data; they are nil after erasure.
public struct RideLeg: Codable, Sendable, Hashable {
    /// `outbound-<revision>` or `return-<revision>`; unique within the booking.
    public var legID: String
    /// Outbound or return.
    public var direction: LegDirection
    /// Schedule revision the leg belongs to (a reschedule creates new legs with the next revision).
    public var revision: Int
    /// Current status.
    public var status: RideStatus
    /// When the vehicle may pick the patient up.
    public var pickupWindow: TimeWindow
    /// Latest arrival at the drop-off (outbound), unix ms.
    public var arriveBy: Int64?
    /// Pickup location. Personal data.
    public var pickup: Location?
    /// Drop-off location. Personal data.
    public var dropOff: Location?
    /// Opaque contact token for the partner. Personal data.
    public var contactToken: String?
    /// Mobility, companions, language.
    public var needs: RideNeeds
    /// Partners offered this leg so far, in order.
    public var triedPartnerIDs: [String]
    /// Partner offered or carrying the leg now; kept after the leg ends for the record.
    public var currentPartnerID: String?
    /// The partner's own ride id, once it accepted.
    public var partnerRideID: String?
    /// Offers made so far; the current offer's sequence (1 for the first partner, …).
    public var offerAttempts: UInt32
    /// When the current offer lapses, while offered.
    public var offerExpiresAt: Int64?
    /// Highest update sequence applied per partner (each partner numbers its updates from 1).
    public var partnerSequences: [String: UInt64]
    /// Latest partner estimate, unix ms.
    public var etaAt: Int64?
    /// Who cancelled, when cancelled.
    public var cancelledBy: CancellationActor?
    /// Cancelled inside the partner's late-cancellation period (a fee may apply).
    public var lateCancellation: Bool
    /// Machine code of the last rejection, cancellation or attention reason.
    public var reasonCode: String?
    /// Set when a coordinator must act on this leg (the status may still be factual, e.g. `noShow`).
    public var attentionReason: AttentionReason?
    /// Every status change, oldest first.
    public var history: [LegTransition]

    public init(
        legID: String, direction: LegDirection, revision: Int, pickupWindow: TimeWindow, arriveBy: Int64?,
        pickup: Location?, dropOff: Location?, contactToken: String?, needs: RideNeeds, history: [LegTransition] = []
    ) {
        self.legID = legID
        self.direction = direction
        self.revision = revision
        self.status = .requested
        self.pickupWindow = pickupWindow
        self.arriveBy = arriveBy
        self.pickup = pickup
        self.dropOff = dropOff
        self.contactToken = contactToken
        self.needs = needs
        self.triedPartnerIDs = []
        self.currentPartnerID = nil
        self.partnerRideID = nil
        self.offerAttempts = 0
        self.offerExpiresAt = nil
        self.partnerSequences = [:]
        self.etaAt = nil
        self.cancelledBy = nil
        self.lateCancellation = false
        self.reasonCode = nil
        self.attentionReason = nil
        self.history = history
    }

    /// Leg id for a direction and schedule revision.
    public static func id(direction: LegDirection, revision: Int) -> String { "\(direction.rawValue)-\(revision)" }

    /// Highest update sequence applied from the current partner (0 = none).
    public var lastPartnerSequence: UInt64 { currentPartnerID.flatMap { partnerSequences[$0] } ?? 0 }

    /// Timer id of the current offer's time-out, while offered.
    public func offerTimerID(bookingID: String) -> String? {
        status == .offered ? OfferTimer.id(bookingID: bookingID, legID: legID, offerSequence: offerAttempts) : nil
    }
}
