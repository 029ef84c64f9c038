/// Visit-plan bookkeeping and the travel rule: a planned, upcoming visit gets `TravelNeeded` only
/// while TRANSPORT consent is held and a travel request covers it; losing either (or the visit)
/// emits `TravelNoLongerNeeded` for every outstanding one.
extension Enrollment {
    /// Emits `TravelNeeded` for the visit at `index` when every condition holds and none is outstanding.
    mutating func requestTravelIfNeeded(at index: Int, recorder: inout DecisionRecorder) {
        let planned = visits[index]
        let visitID = planned.visit.visitID
        guard state.allowsVisits, planned.status == .planned, !planned.travelRequested,
            planned.visit.scheduledAt > recorder.now, holdsConsent(.transport), wantsTravel(toVisit: visitID)
        else { return }
        let request =
            travelRequests.first { $0.visitID == visitID && $0.covers(visitID: visitID) }
            ?? travelRequests.last { $0.covers(visitID: visitID) }
        recorder.emit(
            .travelNeeded(
                TravelNeed(
                    visit: planned.visit, destination: planned.destination,
                    mobility: request?.mobility ?? travelProfile.mobility,
                    companions: request?.companions ?? travelProfile.companions,
                    language: request?.language ?? travelProfile.language, urgent: planned.urgent)),
            for: patientRef, suffix: "travel-needed/\(visitID)")
        visits[index].travelRequested = true
    }

    /// ``requestTravelIfNeeded(at:recorder:)`` for every open visit, by appointment time.
    mutating func requestTravelForOpenVisits(recorder: inout DecisionRecorder) {
        for index in openVisitIndices { requestTravelIfNeeded(at: index, recorder: &recorder) }
    }

    /// Emits `TravelNoLongerNeeded` for the visit at `index` when a `TravelNeeded` is outstanding.
    mutating func retractTravel(at index: Int, reason: TravelRetractionReason, recorder: inout DecisionRecorder) {
        guard visits[index].travelRequested else { return }
        let visitID = visits[index].visit.visitID
        recorder.emit(
            .travelNoLongerNeeded(TravelRetraction(visitID: visitID, trialID: trialID, reason: reason)),
            for: patientRef, suffix: "travel-cancelled/\(visitID)")
        visits[index].travelRequested = false
    }

    /// ``retractTravel(at:reason:recorder:)`` for every visit.
    mutating func retractAllTravel(reason: TravelRetractionReason, recorder: inout DecisionRecorder) {
        for index in openVisitIndices { retractTravel(at: index, reason: reason, recorder: &recorder) }
    }

    /// Cancels every open visit (``cancelVisit(at:reason:recorder:)``).
    mutating func cancelOpenVisits(reason: TravelRetractionReason, recorder: inout DecisionRecorder) {
        for index in openVisitIndices { cancelVisit(at: index, reason: reason, recorder: &recorder) }
    }

    /// Cancels a planned visit: its travel is retracted and its transport risks go with it.
    mutating func cancelVisit(at index: Int, reason: TravelRetractionReason, recorder: inout DecisionRecorder) {
        retractTravel(at: index, reason: reason, recorder: &recorder)
        visits[index].status = .cancelled
        visits[index].transportRisks = []
    }

    /// Indices of planned visits by appointment time (then id).
    var openVisitIndices: [Int] {
        visits.indices.filter { visits[$0].status == .planned }.sorted {
            (visits[$0].visit.scheduledAt, visits[$0].visit.visitID) < (
                visits[$1].visit.scheduledAt, visits[$1].visit.visitID
            )
        }
    }

    /// Stores `consent` unless a newer or identical one of the same scope and trial is held.
    mutating func record(consent: Consent) -> Bool {
        if let index = consents.firstIndex(where: { $0.scope == consent.scope && $0.trialID == consent.trialID }) {
            guard consents[index] != consent, consents[index].grantedAt <= consent.grantedAt else { return false }
            consents[index] = consent
        } else {
            consents.append(consent)
            consents.sort { ($0.scope.protoNumber, $0.trialID ?? "") < ($1.scope.protoNumber, $1.trialID ?? "") }
        }
        return true
    }

    /// Replaces the referral-derived travel request.
    mutating func setReferralTravelRequest(_ referral: PatientReferral) {
        travelRequests.removeAll(where: \.fromReferral)
        guard referral.wantsTravel else { return }
        let requestID = referral.referralID.isEmpty ? "referral" : referral.referralID
        travelRequests.removeAll { $0.requestID == requestID }
        travelRequests.append(
            TravelRequestRecord(
                requestID: requestID, visitID: nil, mobility: nil, companions: nil, language: nil,
                cancelledVisitIDs: [],
                fromReferral: true))
    }

    /// Clears the outstanding-travel mark of visits no request covers any more (no output: the
    /// transport worker handles `TravelAssistanceCancelled` itself).
    mutating func dropUncoveredTravel() {
        for index in visits.indices
        where visits[index].travelRequested && !wantsTravel(toVisit: visits[index].visit.visitID) {
            visits[index].travelRequested = false
        }
    }
}
