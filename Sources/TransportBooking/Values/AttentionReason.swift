/// Why a leg needs a coordinator (mirrors `trialtransit.v1.AttentionReason` without UNSPECIFIED).
public enum AttentionReason: String, Codable, Sendable, Hashable, CaseIterable {
    /// Every eligible partner rejected, had no drivers or let the offer time out, or none fits.
    case noPartnerAvailable = "no_partner_available"
    /// The driver reported NO_SHOW.
    case patientNoShow = "patient_no_show"
    /// The partner cancelled an accepted ride.
    case partnerCancelled = "partner_cancelled"
    /// The pickup window is close and no driver is assigned (not raised by this module yet).
    case pickupWindowAtRisk = "pickup_window_at_risk"
    /// The visit moved or was cancelled after the patient was picked up.
    case visitChanged = "visit_changed"
    /// A partner update made no sense (illegal transition).
    case invalidPartnerUpdate = "invalid_partner_update"
    case other

    /// Number of the value in `transport_booking.proto`.
    public var protoNumber: Int32 {
        switch self {
        case .noPartnerAvailable: 1
        case .patientNoShow: 2
        case .partnerCancelled: 3
        case .pickupWindowAtRisk: 4
        case .visitChanged: 5
        case .invalidPartnerUpdate: 6
        case .other: 7
        }
    }
}
