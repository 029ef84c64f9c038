/// `ConsentRecorded` and `ConsentWithdrawn`. A consent without a trial applies to every
/// enrollment of the patient.
extension DecisionSession {
    mutating func recordConsent<Ledger: SlotLedger>(_ input: Consent, ledger: inout Ledger) throws(TrialAccessRejection)
    {
        var consent = input
        consent.trialID = consent.trialID.nonEmpty
        try InputValidation.consent(consent)
        let targets: [Enrollment]
        if let trialID = consent.trialID {
            let enrollment = try enrollment(for: trialID)
            guard !enrollment.state.isTerminal else { throw notAllowed(in: enrollment) }
            targets = [enrollment]
        } else {
            guard !enrollments.isEmpty else { throw TrialAccessRejection(.notFound, "the patient has no enrollment") }
            targets = enrollments.filter { !$0.state.isTerminal }
            guard !targets.isEmpty else {
                throw TrialAccessRejection(
                    .invalidTransition, "ConsentRecorded: every enrollment of the patient has ended")
            }
        }
        var recorded = false
        for target in targets {
            var enrollment = target
            useCause(for: enrollment, fanOut: targets.count > 1)
            guard enrollment.record(consent: consent) else { continue }
            recorded = true
            switch consent.scope {
            case .transport: enrollment.requestTravelForOpenVisits(recorder: &recorder)
            case .participation: try enrollment.startScreeningIfConsented(recorder: &recorder, ledger: &ledger)
            case .contact, .dataSharing: break
            }
            save(enrollment)
        }
        if !recorded {
            ignoredReason = IgnoredReason.staleConsent
            reply = targets.max { $0.updatedAt < $1.updatedAt }
        }
    }

    /// Never refused for the state: a patient can always withdraw a consent.
    mutating func withdrawConsent<Ledger: SlotLedger>(
        _ withdrawal: ConsentWithdrawal, ledger: inout Ledger
    ) throws(TrialAccessRejection) {
        let targets: [Enrollment]
        if let trialID = withdrawal.trialID.nonEmpty {
            targets = [try enrollment(for: trialID)]
        } else {
            guard !enrollments.isEmpty else { throw TrialAccessRejection(.notFound, "the patient has no enrollment") }
            targets = enrollments
        }
        let cutoff = withdrawal.withdrawnAt > 0 ? withdrawal.withdrawnAt : recorder.factTime
        var withdrew = false
        for target in targets {
            var enrollment = target
            useCause(for: enrollment, fanOut: targets.count > 1)
            let before = enrollment.consents.count
            enrollment.consents.removeAll { $0.scope == withdrawal.scope && $0.grantedAt <= cutoff }
            guard enrollment.consents.count < before else { continue }
            withdrew = true
            if !enrollment.holdsConsent(withdrawal.scope) {
                switch withdrawal.scope {
                case .participation where !enrollment.state.isTerminal:
                    try enrollment.move(
                        to: .withdrawn, reasons: [StatusReason.consentWithdrawn], withdrawal: .consentWithdrawn,
                        slotRelease: .patientWithdrawn, travelReason: .patientWithdrawn, recorder: &recorder,
                        ledger: &ledger)
                case .transport:
                    enrollment.retractAllTravel(reason: .consentWithdrawn, recorder: &recorder)
                default:
                    break
                }
            }
            save(enrollment)
        }
        if !withdrew {
            ignoredReason = IgnoredReason.consentNotHeld
            reply = targets.max { $0.updatedAt < $1.updatedAt }
        }
    }
}
