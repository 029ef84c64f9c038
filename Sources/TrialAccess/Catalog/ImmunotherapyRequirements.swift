// Catalogue-side immunotherapy criteria (mirror the requirement messages of `catalog.proto`).
// The catalogue file and topic records map onto them through the generated proto types (TrialAccessWorker).

/// Which microsatellite / mismatch-repair status a trial requires
/// (mirrors `trialtransit.v1.MicrosatelliteRequirement`).
public enum MicrosatelliteRequirement: String, ProtoEnumMirror {
    /// MSI-H or dMMR: either test positive.
    case msiHighOrDeficientMMR = "MICROSATELLITE_REQUIREMENT_MSI_HIGH_OR_DMMR"
    /// Neither MSI-H nor dMMR.
    case stableAndProficientMMR = "MICROSATELLITE_REQUIREMENT_STABLE_AND_PMMR"
}

/// A PD-L1 condition, e.g. TPS >= 50 % by 22C3 (mirrors `trialtransit.v1.PdL1Requirement`).
public struct PDL1Requirement: Sendable, Hashable {
    /// Score type compared; results of another type do not count.
    public var scoreType: PDL1ScoreType
    public var comparison: Comparison
    /// Threshold in the score type's scale.
    public var threshold: Double
    /// Assays (antibody clones) accepted, compared case-insensitively; empty = any.
    public var assays: [String]

    public init(scoreType: PDL1ScoreType, comparison: Comparison, threshold: Double, assays: [String] = []) {
        self.scoreType = scoreType
        self.comparison = comparison
        self.threshold = threshold
        self.assays = assays
    }
}

/// A tumour mutational burden condition, mutations per megabase (mirrors `trialtransit.v1.TmbRequirement`).
public struct TMBRequirement: Sendable, Hashable {
    public var comparison: Comparison
    public var thresholdMutationsPerMb: Double

    public init(comparison: Comparison, thresholdMutationsPerMb: Double) {
        self.comparison = comparison
        self.thresholdMutationsPerMb = thresholdMutationsPerMb
    }
}

/// Conditions on prior lines and prior agents (mirrors `trialtransit.v1.PriorTherapyRequirement`).
public struct PriorTherapyRequirement: Sendable, Hashable {
    /// Fewest prior lines, inclusive; nil = no lower bound (proto: 0).
    public var minPriorLines: Int?
    /// Most prior lines, inclusive; nil = no upper bound (0 is a real limit: first line).
    public var maxPriorLines: Int?
    /// Agents that exclude a patient who received one they cover (``CodedConcept/covers(_:)``).
    public var excludedAgents: [CodedConcept]
    /// Agents the patient must have received, each one.
    public var requiredAgents: [CodedConcept]

    public init(
        minPriorLines: Int? = nil, maxPriorLines: Int? = nil, excludedAgents: [CodedConcept] = [],
        requiredAgents: [CodedConcept] = []
    ) {
        self.minPriorLines = minPriorLines
        self.maxPriorLines = maxPriorLines
        self.excludedAgents = excludedAgents
        self.requiredAgents = requiredAgents
    }
}

/// A laboratory condition (mirrors `trialtransit.v1.LabRequirement`): ANC >= 1.5 10*9/L, or
/// AST <= 2.5 x ULN, measured at most `maxAgeDays` days before evaluation.
public struct LabRequirement: Sendable, Hashable {
    /// Test code, upper case: `ANC`, `PLT`, `CRCL`, `AST`, `ALT`, `TBILI`…
    public var code: String
    /// UCUM unit of `min` and `max`; a result in another unit cannot be compared.
    public var unit: String
    /// Lowest value allowed, inclusive; nil = none.
    public var min: Double?
    /// Highest value allowed, inclusive; nil = none.
    public var max: Double?
    /// Highest value allowed as a multiple of the result's upper limit of normal; nil = none (proto: 0).
    public var maxULNMultiple: Double?
    /// Oldest result accepted, days before evaluation; nil = any age (proto: 0).
    public var maxAgeDays: Int?

    public init(
        code: String, unit: String = "", min: Double? = nil, max: Double? = nil, maxULNMultiple: Double? = nil,
        maxAgeDays: Int? = nil
    ) {
        self.code = code
        self.unit = unit
        self.min = min
        self.max = max
        self.maxULNMultiple = maxULNMultiple
        self.maxAgeDays = maxAgeDays
    }
}

/// The usual immune checkpoint inhibitor exclusions (mirrors `trialtransit.v1.ImmunotherapyExclusions`).
public struct ImmunotherapyExclusions: Sendable, Hashable {
    /// Autoimmune disease treated systemically within this many days excludes (730 = 2 years);
    /// nil = not checked (proto: 0).
    public var autoimmuneTreatmentLookbackDays: Int?
    /// Systemic corticosteroids above this dose (mg/day prednisone equivalent) exclude; nil = not checked.
    public var maxPrednisoneEquivalentMgPerDay: Double?
    /// Prior (non-infectious) pneumonitis that needed steroids, or current pneumonitis, excludes.
    public var excludePriorPneumonitis: Bool
    /// Active CNS metastases exclude.
    public var excludeActiveCNSMetastases: Bool
    /// An allogeneic organ or stem-cell transplant excludes.
    public var excludeOrganTransplant: Bool

    public init(
        autoimmuneTreatmentLookbackDays: Int? = nil, maxPrednisoneEquivalentMgPerDay: Double? = nil,
        excludePriorPneumonitis: Bool = false, excludeActiveCNSMetastases: Bool = false,
        excludeOrganTransplant: Bool = false
    ) {
        self.autoimmuneTreatmentLookbackDays = autoimmuneTreatmentLookbackDays
        self.maxPrednisoneEquivalentMgPerDay = maxPrednisoneEquivalentMgPerDay
        self.excludePriorPneumonitis = excludePriorPneumonitis
        self.excludeActiveCNSMetastases = excludeActiveCNSMetastases
        self.excludeOrganTransplant = excludeOrganTransplant
    }

    /// The usual set: autoimmune disease treated systemically in the past 2 years, more than
    /// 10 mg/day prednisone equivalent, prior pneumonitis, active CNS metastases, organ transplant.
    public static let usual = ImmunotherapyExclusions(
        autoimmuneTreatmentLookbackDays: 730, maxPrednisoneEquivalentMgPerDay: 10, excludePriorPneumonitis: true,
        excludeActiveCNSMetastases: true, excludeOrganTransplant: true)
}
