/// Where the trial-access worker keeps its state in the ``TransitStore``: state namespaces and
/// counter names. Every name is scoped to this worker so that workers sharing a store never meet.
enum StateKeys {
    /// Namespace of the per-patient aggregate: key `<patientRef>`, value ``PatientEnrollments`` (a `StoredPatientEnrollments`).
    static let enrollment = "enrollment"
    /// Namespace of the per-trial waitlists: key `<trialID>`, value ``Waitlist`` (a `StoredWaitlist`).
    static let waitlist = "waitlist"
    /// Namespace of live catalogue entries from `trial.catalog.v1`: key `<trialID>`, value
    /// ``LiveCatalogEntry`` (a `StoredCatalogEntry`; a tombstone keeps the removal so the start-up file cannot bring
    /// the trial back).
    static let catalog = "catalog"

    /// The screening-slot counter of one trial site (capacity from the catalogue).
    static func slotCounter(trialID: String, siteID: String) -> String { "slots/\(trialID)/\(siteID)" }

    /// A counter whose capacity is a random token, replaced whenever a live catalogue entry changes,
    /// so every process can tell whether its cached catalogue is current with one read.
    static let catalogVersionCounter = "trial-access/catalog-version"

    /// Row-lock counters (see ``StoreLocks``).
    static func patientLock(_ patientRef: String) -> String { "trial-access/lock/patient/\(patientRef)" }
    static func waitlistLock(_ trialID: String) -> String { "trial-access/lock/waitlist/\(trialID)" }
}
