/// A booking without personal data: what booking events and `GetBooking` carry (mirrors
/// `trialtransit.v1.Booking`). No address, coordinates or contact token.
public struct BookingSnapshot: Codable, Sendable, Hashable {
    public var bookingID: String
    public var patientRef: String
    public var trialID: String
    public var visitID: String
    public var travelRequestID: String?
    public var appointmentAt: Int64
    public var needs: RideNeeds
    public var revision: Int
    /// Every leg, oldest first (current ones have `revision == revision`).
    public var legs: [LegSnapshot]
    public var createdAt: Int64
    public var updatedAt: Int64
    /// When addresses and contact tokens were last erased; nil = never.
    public var personalDataErasedAt: Int64?

    /// Legs of the current schedule revision.
    public var currentLegs: [LegSnapshot] { legs.filter { $0.revision == revision } }
}

/// One leg without personal data (mirrors `trialtransit.v1.RideLeg`), with its history.
public struct LegSnapshot: Codable, Sendable, Hashable {
    public var legID: String
    public var direction: LegDirection
    public var revision: Int
    public var status: RideStatus
    public var pickupWindow: TimeWindow
    public var arriveBy: Int64?
    public var partnerID: String?
    public var partnerRideID: String?
    /// Highest update sequence applied from the current partner.
    public var partnerSequence: UInt64
    public var etaAt: Int64?
    public var cancelledBy: CancellationActor?
    public var lateCancellation: Bool
    public var reasonCode: String?
    public var attentionReason: AttentionReason?
    public var offerAttempts: UInt32
    public var offerExpiresAt: Int64?
    public var history: [LegTransition]
}

extension Booking {
    /// The booking without personal data.
    public var snapshot: BookingSnapshot {
        BookingSnapshot(
            bookingID: bookingID, patientRef: patientRef, trialID: trialID, visitID: visitID,
            travelRequestID: travelRequestID, appointmentAt: appointmentAt, needs: needs, revision: revision,
            legs: legs.map(\.snapshot), createdAt: createdAt, updatedAt: updatedAt,
            personalDataErasedAt: personalDataErasedAt)
    }
}

extension RideLeg {
    /// The leg without personal data.
    public var snapshot: LegSnapshot {
        LegSnapshot(
            legID: legID, direction: direction, revision: revision, status: status, pickupWindow: pickupWindow,
            arriveBy: arriveBy, partnerID: currentPartnerID, partnerRideID: partnerRideID,
            partnerSequence: lastPartnerSequence, etaAt: etaAt, cancelledBy: cancelledBy,
            lateCancellation: lateCancellation, reasonCode: reasonCode, attentionReason: attentionReason,
            offerAttempts: offerAttempts, offerExpiresAt: status == .offered ? offerExpiresAt : nil, history: history)
    }
}
