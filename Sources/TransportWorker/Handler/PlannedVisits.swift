import TransitRPC
import TransportBooking

/// Visits trial access planned for a patient (from `VisitPlanned` and `TravelNeeded`), so that
/// `BookRide` can tell a visit nobody planned (`NOT_FOUND`) from a planned visit that trial access
/// has not released for transport (`FAILED_PRECONDITION`).
///
/// Namespace `transport.planned-visit`, key `<patient ref>/<visit id>`, empty value (a marker, like
/// the patient → booking index). Pseudonymous ids only; kept after an erasure.
extension BookingState {
    /// Namespace of planned visits.
    public static let plannedVisitNamespace = "transport.planned-visit"

    /// Remembers that trial access planned `visitID` for the patient.
    func recordPlannedVisit(patientRef: String, visitID: String) throws {
        let key = Self.indexKey(patientRef, visitID)
        guard try transaction.state(namespace: Self.plannedVisitNamespace, key: key) == nil else { return }
        try transaction.setState(namespace: Self.plannedVisitNamespace, key: key, value: [])
    }

    /// Whether trial access planned the visit for the patient.
    func isPlannedVisit(patientRef: String, visitID: String) throws -> Bool {
        try lockPatient(patientRef)
        return try transaction.state(namespace: Self.plannedVisitNamespace, key: Self.indexKey(patientRef, visitID)) != nil
    }
}

extension TransportHandler {
    /// `BookRide`'s checks of the visit, after the request's own fields: the visit's
    /// ``VisitTravelNeed`` when trial access released it for transport (`TravelNeeded`: the patient
    /// holds TRANSPORT consent and asked for travel; a `TravelNoLongerNeeded` takes it back);
    /// `FAILED_PRECONDITION` for a planned visit not released; `NOT_FOUND` for a visit trial access
    /// never planned, or released for another trial than `trialID` (when given).
    func releasedVisit(
        patientRef: String, visitID: String, trialID: String, state: BookingState
    ) throws -> VisitTravelNeed {
        if let need = try state.intake(patientRef: patientRef)?.needs[visitID] {
            guard trialID.isEmpty || trialID == need.trialID else {
                throw RPCError.notFound("visit \(visitID) is not a visit of trial \(trialID)")
            }
            return need
        }
        guard try state.isPlannedVisit(patientRef: patientRef, visitID: visitID) else {
            throw RPCError.notFound("unknown visit \(visitID): trial access has not planned it for this patient")
        }
        throw RPCError.failedPrecondition(
            "visit \(visitID) is not released for transport: trial access sends TravelNeeded only while the patient "
                + "holds TRANSPORT consent and asked for travel")
    }
}
