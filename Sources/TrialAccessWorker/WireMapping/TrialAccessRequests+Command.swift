import TransitWire
import TrialAccess

// TrialAccess RPC requests -> domain commands. `eventID` is the call's stable id
// (`rpc:<Method>:<idempotency-key>`, else `rpc:<correlation-id>`); RPC inputs have no event time.

extension RequestTrialAccessRequest {
    func command(eventID: String) throws(WireMappingError) -> TrialAccessCommand {
        guard let referral else { throw .missing("referral") }
        return TrialAccessCommand(eventID: eventID, patientRef: patientRef, body: .patientReferred(referral.referral))
    }
}

extension RecordConsentRequest {
    func command(eventID: String) throws(WireMappingError) -> TrialAccessCommand {
        guard let consent else { throw .missing("consent") }
        return TrialAccessCommand(
            eventID: eventID, patientRef: patientRef, body: .consentRecorded(try consent.domain(field: "consent")))
    }
}

extension WithdrawPatientRequest {
    /// Withdrawn at `now` (the request has no time of its own).
    func command(eventID: String, now: Int64) -> TrialAccessCommand {
        TrialAccessCommand(
            eventID: eventID, patientRef: patientRef,
            body: .patientWithdrawn(PatientWithdrawal(trialID: trialId, reason: reason.domain, withdrawnAt: now)))
    }
}
