import Metrics
import TransportBooking

/// The transport domain's figures: `trialtransit_rides_total{status}` (one per ride event, by the
/// status it reaches) and `trialtransit_partner_offers_total{partner,outcome}` (offers sent, and how
/// partners answered them). Labels are statuses and the configured partner ids only.
/// Counted when decided, inside the store transaction: a transaction retried after a conflict or
/// a transient failure counts again (rare; the runtime's retries counter shows how rare).
enum TransportMetrics {
    static func decided(_ decision: BookingDecision) {
        for event in decision.events {
            switch event.body {
            case .rideRequested: ride(.requested)
            case .rideOffered(let offered):
                ride(.offered)
                offer(partner: offered.partnerID, outcome: "offered")
            case .rideConfirmed(let confirmed):
                ride(.accepted)
                offer(partner: confirmed.partnerID, outcome: RideStatus.accepted.rawValue)
            case .rideStatusChanged(let change):
                ride(change.status)
                if change.previousStatus == .offered, change.status != .accepted, let partner = change.partnerID {
                    offer(partner: partner, outcome: change.status.rawValue)
                }
            case .rideCancelled: ride(.cancelled)
            case .rideNeedsAttention: ride(.needsAttention)
            }
        }
    }

    private static func ride(_ status: RideStatus) {
        Counter(label: "trialtransit_rides_total", dimensions: [("status", status.rawValue)]).increment()
    }

    private static func offer(partner: String, outcome: String) {
        Counter(label: "trialtransit_partner_offers_total", dimensions: [("partner", partner), ("outcome", outcome)]).increment()
    }
}
