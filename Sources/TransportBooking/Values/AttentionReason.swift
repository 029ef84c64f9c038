import TransitDomain

/// Why a leg needs a coordinator (mirrors `trialtransit.v1.AttentionReason` without UNSPECIFIED).
public enum AttentionReason: String, Codable, Sendable, Hashable, ProtoNumbered {
    /// Every eligible partner rejected, had no drivers or let the offer time out, or none fits.
    case noPartnerAvailable = "no_partner_available"
    /// The driver reported NO_SHOW.
    case patientNoShow = "patient_no_show"
    /// The partner cancelled an accepted ride.
    case partnerCancelled = "partner_cancelled"
    /// The pickup window is close and no partner has the ride: partners would fit but the pickup is
    /// closer than their minimum lead time (`LEAD_TIME_TOO_SHORT`).
    case pickupWindowAtRisk = "pickup_window_at_risk"
    /// The visit moved or was cancelled after the patient was picked up.
    case visitChanged = "visit_changed"
    /// A partner update made no sense (illegal transition).
    case invalidPartnerUpdate = "invalid_partner_update"
    case other
    /// Outbound, visit and return do not fit the longest travel day: the return leg waits for a
    /// coordinator to arrange an overnight stay (``BookingConfig/longestTravelDayMinutes``).
    case overnightStay = "overnight_stay"
}

extension AttentionReason {
    /// The attention reason of a leg no partner can take: ``pickupWindowAtRisk`` when only the lead
    /// time is missing (the pickup is too close), ``noPartnerAvailable`` otherwise.
    public init(unservable: UnservableReason) {
        self = unservable == .leadTimeTooShort ? .pickupWindowAtRisk : .noPartnerAvailable
    }
}
