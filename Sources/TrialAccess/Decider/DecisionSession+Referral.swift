/// `PatientReferred` / `RequestTrialAccess`: evaluate, pick the nearest reachable site with room,
/// reserve, and decide eligible, waitlisted, needs-review or ineligible.
extension DecisionSession {
    /// Where the referral ends up.
    private enum Outcome {
        case keep(trialID: String, site: ReachableSite)
        case reserved(trialID: String, site: ReachableSite)
        case waitlisted(trialID: String, reachable: [ReachableSite])
        case needsReview(trialID: String, missing: [String])
        case ineligible(trialID: String, failed: [String])

        var trialID: String {
            switch self {
            case .keep(let id, _), .reserved(let id, _), .waitlisted(let id, _), .needsReview(let id, _),
                .ineligible(let id, _):
                id
            }
        }
    }

    mutating func referPatient<Ledger: SlotLedger>(
        _ input: PatientReferral, ledger: inout Ledger
    ) throws(TrialAccessRejection) {
        var referral = input
        referral.trialID = referral.trialID.nonEmpty
        if referral.maxTravelKm == 0 { referral.maxTravelKm = nil }
        try InputValidation.referral(referral)

        let trials = try trialsToEvaluate(for: referral)
        evaluations = trials.map { EligibilityEvaluator.evaluate(referral, for: $0, now: recorder.now) }

        // A named referral may re-evaluate an enrollment that holds a slot: keep it when the
        // trial still qualifies and the held site is still reachable, else give it back first.
        var held = referral.trialID.flatMap { id in enrollments.first { $0.trialID == id } }
        var kept: ReachableSite?
        if let enrollment = held, let slot = enrollment.slot {
            let evaluation = evaluations.first { $0.trialID == enrollment.trialID }
            if evaluation?.verdict == .eligible {
                kept = evaluation?.reachableSites.first { $0.siteID == slot.siteID }
            }
            if kept == nil, var releasing = held {
                let closed =
                    evaluation?.failed.contains(CriterionCode.trialClosed) == true
                    || catalog.trial(id: releasing.trialID)?.acceptsPatients(atSite: slot.siteID) != true
                releasing.releaseSlot(reason: closed ? .trialClosed : .other, recorder: &recorder, ledger: &ledger)
                held = releasing
            }
        }

        let outcome =
            kept.map { Outcome.keep(trialID: held?.trialID ?? "", site: $0) }
            ?? reserveNearest(referral: referral, ledger: &ledger)
        var enrollment =
            (held?.trialID == outcome.trialID ? held : nil)
            ?? enrollments.first { $0.trialID == outcome.trialID }
            ?? Enrollment(
                patientRef: command.patientRef, trialID: outcome.trialID, referralID: referral.referralID,
                createdAt: recorder.now)
        apply(referral, to: &enrollment)
        if referral.trialID == nil {
            for evaluation in evaluations {
                let codes = evaluation.failed + evaluation.missing
                recorder.evaluationDetails["evaluated:\(evaluation.trialID)"] =
                    codes.isEmpty ? "ELIGIBLE" : codes.joined(separator: ",")
            }
        }

        switch outcome {
        case .keep(_, let site), .reserved(_, let site):
            enrollment.siteID = site.siteID
            enrollment.siteDistanceKm = site.distanceKm
            try enrollment.move(
                to: .eligible, reasons: [StatusReason.allCriteriaMet], recorder: &recorder, ledger: &ledger)
            if case .reserved = outcome { enrollment.holdSlot(at: site, recorder: &recorder) }
            try enrollment.startScreeningIfConsented(recorder: &recorder, ledger: &ledger)
        case .waitlisted(_, let reachable):
            enrollment.reachableSites = reachable
            try enrollment.move(
                to: .waitlisted, reasons: [StatusReason.noCapacityInRange], recorder: &recorder, ledger: &ledger)
        case .needsReview(_, let missing):
            try enrollment.move(
                to: .needsReview, reasons: missing, unmet: missing, recorder: &recorder, ledger: &ledger)
        case .ineligible(_, let failed):
            try enrollment.move(to: .ineligible, reasons: failed, unmet: failed, recorder: &recorder, ledger: &ledger)
        }
        save(enrollment)
    }

    /// The named trial, or for an open referral every recruiting trial the patient has not
    /// finished with. Refuses an unknown trial, a state that takes no referral, and an open
    /// referral while another enrollment is in progress.
    private func trialsToEvaluate(for referral: PatientReferral) throws(TrialAccessRejection) -> [TrialDefinition] {
        if let trialID = referral.trialID {
            guard let trial = catalog.trial(id: trialID) else {
                throw TrialAccessRejection(.notFound, "trial \(trialID) is not in the catalogue")
            }
            if let existing = enrollments.first(where: { $0.trialID == trialID }), !existing.state.acceptsReferral {
                throw notAllowed(in: existing)
            }
            return [trial]
        }
        if let busy = enrollments.first(where: { $0.state.isInProgress }) {
            throw TrialAccessRejection(
                .alreadyExists,
                "the patient is \(busy.state.rawValue) in trial \(busy.trialID); name the trial to re-evaluate",
                state: busy.state)
        }
        let finished = Set(enrollments.filter { !$0.state.acceptsReferral }.map(\.trialID))
        return catalog.trials.filter { $0.recruitingStatus == .recruiting && !finished.contains($0.trialID) }
    }

    /// Tries the reachable sites of every eligible trial, nearest first, until the ledger grants a
    /// slot; otherwise waitlists, or reports what is missing or failed.
    private func reserveNearest<Ledger: SlotLedger>(referral: PatientReferral, ledger: inout Ledger) -> Outcome {
        let eligible = evaluations.filter { $0.verdict == .eligible }
        let candidates =
            eligible
            .flatMap { evaluation in evaluation.reachableSites.map { (trialID: evaluation.trialID, site: $0) } }
            .sorted {
                ($0.site.distanceKm, $0.trialID, $0.site.siteID) < ($1.site.distanceKm, $1.trialID, $1.site.siteID)
            }
        for candidate in candidates where ledger.reserve(trialID: candidate.trialID, siteID: candidate.site.siteID) {
            return .reserved(trialID: candidate.trialID, site: candidate.site)
        }
        if let nearest = candidates.first, let evaluation = eligible.first(where: { $0.trialID == nearest.trialID }) {
            return .waitlisted(trialID: evaluation.trialID, reachable: evaluation.reachableSites)
        }
        if let review = evaluations.first(where: { $0.verdict == .needsReview }) {
            return .needsReview(trialID: review.trialID, missing: review.missing)
        }
        if let trialID = referral.trialID {
            return .ineligible(trialID: trialID, failed: evaluations.first?.failed ?? [])
        }
        return .ineligible(trialID: "", failed: [CriterionCode.noMatchingTrial])
    }

    /// Takes over the referral facts later steps need; clinical values are not kept.
    private func apply(_ referral: PatientReferral, to enrollment: inout Enrollment) {
        enrollment.referralID = referral.referralID
        enrollment.travelProfile = TravelProfile(
            mobility: referral.mobility, companions: referral.companions, language: referral.language.nonEmpty)
        for consent in referral.consents where consent.trialID.nonEmpty == nil || consent.trialID == enrollment.trialID
        {
            var normalized = consent
            normalized.trialID = consent.trialID.nonEmpty
            _ = enrollment.record(consent: normalized)
        }
        enrollment.setReferralTravelRequest(referral)
    }
}
