import TransitRPC
import TransportBooking

/// Visits trial access planned for a patient (from `VisitPlanned` and `TravelNeeded`), so that
/// `BookRide` can tell a visit nobody planned (`NOT_FOUND`) from a planned visit that trial access
/// has not released for transport (`FAILED_PRECONDITION`).
///
/// Namespace `transport.planned-visit`, key `<patient ref>/<visit id>`, value the trial id
/// (UTF-8). Pseudonymous ids only, like the patient → booking index; kept after an erasure.
extension BookingState {
    /// Namespace of planned visits.
    public static let plannedVisitNamespace = "transport.planned-visit"

    /// Remembers that trial access planned `visitID` of `trialID` for the patient.
    func recordPlannedVisit(patientRef: String, visitID: String, trialID: String) throws {
        let key = Self.indexKey(patientRef, visitID)
        let value = Array(trialID.utf8)
        guard try transaction.state(namespace: Self.plannedVisitNamespace, key: key) != value else { return }
        try transaction.setState(namespace: Self.plannedVisitNamespace, key: key, value: value)
    }

    /// The trial of a planned visit of the patient; nil when trial access never planned it.
    func plannedVisitTrial(patientRef: String, visitID: String) throws -> String? {
        try lockPatient(patientRef)
        return try transaction.state(namespace: Self.plannedVisitNamespace, key: Self.indexKey(patientRef, visitID))
            .map { String(decoding: $0, as: UTF8.self) }
    }
}

extension TransportHandler {
    /// `BookRide`'s checks of the visit, after the request's own fields: the visit's
    /// ``VisitTravelNeed`` when trial access released it for transport (`TravelNeeded`: the patient
    /// holds TRANSPORT consent and asked for travel; a `TravelNoLongerNeeded` takes it back);
    /// `FAILED_PRECONDITION` for a planned visit not released; `NOT_FOUND` for a visit trial access
    /// never planned, or planned for another trial than `trialID` (when given).
    func releasedVisit(
        patientRef: String, visitID: String, trialID: String, state: BookingState
    ) throws -> VisitTravelNeed {
        if let need = try state.intake(patientRef: patientRef)?.needs[visitID] {
            guard trialID.isEmpty || trialID == need.trialID else {
                throw RPCError.notFound("visit \(visitID) is not a visit of trial \(trialID)")
            }
            return need
        }
        guard let plannedTrial = try state.plannedVisitTrial(patientRef: patientRef, visitID: visitID) else {
            throw RPCError.notFound("unknown visit \(visitID): trial access has not planned it for this patient")
        }
        guard trialID.isEmpty || trialID == plannedTrial else {
            throw RPCError.notFound("visit \(visitID) is not a visit of trial \(trialID)")
        }
        throw RPCError.failedPrecondition(
            "visit \(visitID) is not released for transport: trial access sends TravelNeeded only while the patient "
                + "holds TRANSPORT consent and asked for travel")
    }
}
