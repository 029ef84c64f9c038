/// A trial patients can be matched to (mirrors `trialtransit.v1.TrialDefinition`, one record per
/// trial on the compacted topic `trial.catalog.v1`).
public struct TrialDefinition: Sendable, Hashable {
    /// Registry id, e.g. "NCT01234567"; the Kafka key.
    public var trialID: String
    /// Public (lay) title.
    public var title: String
    /// Phase; nil when not given.
    public var phase: TrialPhase?
    /// Whether the trial takes new patients at all.
    public var recruitingStatus: RecruitingStatus
    /// Inclusion and exclusion criteria.
    public var criteria: EligibilityCriteria
    /// Sites running the trial.
    public var sites: [TrialSite]
    /// When trial operations last changed this definition, unix ms; an older value never
    /// replaces a newer one (``TrialCatalog/upsert(_:)``).
    public var updatedAt: Int64
    /// What the patient app tells patients, per state and language (``patientSummary(for:language:)``).
    public var patientStatusTexts: [PatientStatusText]
    /// How a reported adverse event is answered.
    public var adverseEventRules: AdverseEventRules

    public init(
        trialID: String, title: String, phase: TrialPhase? = nil, recruitingStatus: RecruitingStatus,
        criteria: EligibilityCriteria = EligibilityCriteria(), sites: [TrialSite] = [], updatedAt: Int64 = 0,
        patientStatusTexts: [PatientStatusText] = [], adverseEventRules: AdverseEventRules = AdverseEventRules()
    ) {
        self.adverseEventRules = adverseEventRules
        self.trialID = trialID
        self.title = title
        self.phase = phase
        self.recruitingStatus = recruitingStatus
        self.criteria = criteria
        self.sites = sites
        self.updatedAt = updatedAt
        self.patientStatusTexts = patientStatusTexts
    }

    /// The site with this id.
    public func site(id: String) -> TrialSite? { sites.first { $0.siteID == id } }

    /// True when the trial is open and `siteID` is one of its recruiting sites.
    public func acceptsPatients(atSite siteID: String) -> Bool {
        recruitingStatus == .recruiting && site(id: siteID)?.recruiting == true
    }
}
