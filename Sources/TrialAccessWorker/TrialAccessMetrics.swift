import Metrics
import TrialAccess

/// The trial-access domain's figure: `trialtransit_enrollment_decisions_total{state}`, one per
/// enrollment status change, labelled with the new state only (never a patient, trial or site).
/// Counted when decided, inside the store transaction: a transaction retried after a conflict or
/// a transient failure counts again (rare; the runtime's retries counter shows how rare).
enum TrialAccessMetrics {
    static func decided(_ outcome: TrialAccessOutcome) {
        for output in outcome.outputs {
            if case .statusChanged(let change) = output.body {
                Counter(label: "trialtransit_enrollment_decisions_total", dimensions: [("state", change.state.rawValue)])
                    .increment()
            }
        }
    }
}
