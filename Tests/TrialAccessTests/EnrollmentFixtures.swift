import TrialAccess

/// Builds, through the public commands, a harness whose patient ``subject`` is in a given state in
/// ``Harness/standard()`` (site A capacity 1, site B always full). In the visit states the subject has
/// visits "v-c" (C2D1, day 10), "v-eot" (EOT, day 20) and "v-eos" (EOS, day 30).
extension Harness {
    static let subject = "pt-7f3a9c"
    static let other = "pt-other"

    static func subject(in state: EnrollmentState) throws -> Harness {
        var harness = try Harness.standard()
        let subject = Harness.subject
        switch state {
        case .candidate:
            harness.store.put(
                Enrollment(patientRef: subject, trialID: Fixture.trialID, referralID: "ref-0", createdAt: Fixture.t0))
        case .ineligible:
            var referral = Fixture.referral()
            referral.ageYears = 12
            try harness.ok(subject, .patientReferred(referral))
        case .needsReview:
            var referral = Fixture.referral()
            referral.ecog = nil
            try harness.ok(subject, .patientReferred(referral))
        case .waitlisted:
            try harness.ok(Harness.other, .patientReferred(Fixture.referral()))
            try harness.ok(subject, .patientReferred(Fixture.referral()))
        case .withdrawn:
            try harness.ok(subject, .patientReferred(Fixture.referral()))
            try harness.ok(
                subject,
                .patientWithdrawn(
                    PatientWithdrawal(trialID: Fixture.trialID, reason: .adverseEvent, withdrawnAt: harness.now)))
        case .eligible, .screening, .pendingOnStudy, .onStudy, .followUp, .offStudy:
            try harness.advance(to: state)
        }
        return harness
    }

    /// Refers the subject, plans its visits, and walks the main path up to `state`.
    private mutating func advance(to state: EnrollmentState) throws {
        let path: [EnrollmentState] = [.eligible, .screening, .pendingOnStudy, .onStudy, .followUp, .offStudy]
        let subject = Harness.subject
        let trialID = Fixture.trialID
        try ok(subject, .patientReferred(Fixture.referral()))
        try ok(subject, .visitScheduled(Fixture.visit("v-c", code: "C2D1", days: 10)))
        try ok(subject, .visitScheduled(Fixture.visit("v-eot", code: "EOT", days: 20)))
        try ok(subject, .visitScheduled(Fixture.visit("v-eos", code: "EOS", days: 30)))
        for step in path.dropFirst() {
            guard let target = path.firstIndex(of: state), let index = path.firstIndex(of: step), index <= target else {
                break
            }
            switch step {
            case .screening: try ok(subject, .consentRecorded(Fixture.consent(.participation, at: now)))
            case .pendingOnStudy:
                try ok(
                    subject,
                    .screeningCompleted(
                        ScreeningResult(trialID: trialID, siteID: "A", outcome: .passed, screenedAt: now)))
            case .onStudy:
                try ok(subject, .enrollmentConfirmed(EnrollmentConfirmation(trialID: trialID, enrolledAt: now)))
            case .followUp:
                try ok(subject, .visitCompleted(VisitCompletion(visitID: "v-eot", trialID: trialID, completedAt: now)))
            case .offStudy:
                try ok(subject, .visitCompleted(VisitCompletion(visitID: "v-eos", trialID: trialID, completedAt: now)))
            default: break
            }
        }
    }
}
