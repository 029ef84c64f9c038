/// `TravelAssistanceRequested` and `TravelAssistanceCancelled` (from `travel.requests.v1`).
extension DecisionSession {
    mutating func requestTravel(_ request: TravelAssistanceRequest) throws(TrialAccessRejection) {
        try InputValidation.nonEmpty(request.requestID, "request_id")
        try InputValidation.nonEmpty(request.trialID, "trial_id")
        if let companions = request.companions {
            try InputValidation.require(companions >= 0, "companions is negative")
        }
        var enrollment = try enrollment(for: request.trialID)
        guard !enrollment.state.isTerminal else { throw notAllowed(in: enrollment) }
        let record = TravelRequestRecord(
            requestID: request.requestID, visitID: request.visitID.nonEmpty, mobility: request.mobility,
            companions: request.companions, language: request.language.nonEmpty, cancelledVisitIDs: [],
            fromReferral: false)
        if let index = enrollment.travelRequests.firstIndex(where: { $0.requestID == request.requestID }) {
            enrollment.travelRequests[index] = record
        } else {
            enrollment.travelRequests.append(record)
        }
        enrollment.requestTravelForOpenVisits(recorder: &recorder)
        save(enrollment)
    }

    /// Applies to every enrollment holding the request; emits nothing (the transport worker
    /// consumes the same cancellation and cancels the rides itself).
    mutating func cancelTravel(_ cancellation: TravelAssistanceCancellation) {
        let visitID = cancellation.visitID.nonEmpty
        let targets = enrollments.filter { $0.travelRequests.contains { $0.requestID == cancellation.requestID } }
        guard !targets.isEmpty else {
            ignoredReason = IgnoredReason.unknownTravelRequest
            reply = enrollments.max { $0.updatedAt < $1.updatedAt }
            return
        }
        for target in targets {
            var enrollment = target
            enrollment.travelRequests = enrollment.travelRequests.compactMap { record in
                guard record.requestID == cancellation.requestID else { return record }
                guard let visitID else { return nil }
                if record.visitID == visitID { return nil }
                guard record.visitID == nil else { return record }
                var narrowed = record
                if !narrowed.cancelledVisitIDs.contains(visitID) { narrowed.cancelledVisitIDs.append(visitID) }
                return narrowed
            }
            enrollment.dropUncoveredTravel()
            save(enrollment)
        }
    }
}
