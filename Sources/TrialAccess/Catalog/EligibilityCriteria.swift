/// A biomarker condition, e.g. PD-L1 TPS >= 50 %: `{code "PDL1_TPS", greaterOrEqual, 50, "%"}`;
/// EGFR mutation absent: `{code "EGFR", equal, 0, "bool"}` (mirrors `BiomarkerRequirement`).
public struct BiomarkerRequirement: Sendable, Hashable {
    /// Marker code, upper case, as in ``BiomarkerResult/code``.
    public var code: String
    /// Comparison of the patient's value with `threshold`.
    public var comparison: Comparison
    /// Threshold in `unit`.
    public var threshold: Double
    /// Unit of `threshold`; a result in another unit cannot be compared (the referral needs review).
    public var unit: String

    public init(code: String, comparison: Comparison, threshold: Double, unit: String) {
        self.code = code
        self.comparison = comparison
        self.threshold = threshold
        self.unit = unit
    }
}

/// Inclusion and exclusion rules of a trial (mirrors `EligibilityCriteria`). Every rule must hold.
/// A referral lacking a value a rule needs is not ineligible: it needs review.
public struct EligibilityCriteria: Sendable, Hashable {
    /// Included ICD-10 diagnoses; a code matches when, dots removed, the referral's code starts
    /// with it ("C34" matches "C34.1"). Empty = any diagnosis.
    public var conditionCodes: [String]
    /// Excluded ICD-10 diagnoses, matched the same way.
    public var excludedConditionCodes: [String]
    /// Allowed stage groups ("IIIB", "IV"), compared case-insensitively. Empty = any.
    public var stages: [String]
    /// Youngest age allowed, years, inclusive; nil = no lower bound (proto: 0).
    public var minAgeYears: Int?
    /// Oldest age allowed, years, inclusive; nil = no upper bound (proto: 0).
    public var maxAgeYears: Int?
    /// Highest ECOG grade allowed, inclusive; nil = no limit (0 is a real limit).
    public var maxECOG: Int?
    /// Biomarker conditions; all must hold.
    public var requiredBiomarkers: [BiomarkerRequirement]
    /// Prior therapy codes that exclude a patient (exact match).
    public var excludedPriorTherapies: [String]

    // Immunotherapy protocol criteria; each is off at its default (docs/TRIAL_ACCESS.md §4).

    /// Sexes allowed; empty = any.
    public var sexes: [Sex]
    /// Included ICD-O-3 morphologies without behaviour ("8140", "807"), prefix match; empty = any.
    public var histologyCodes: [String]
    /// Excluded ICD-O-3 morphologies, matched the same way ("8041" small cell carcinoma).
    public var excludedHistologyCodes: [String]
    /// PD-L1 conditions; all must hold.
    public var pdl1Requirements: [PDL1Requirement]
    /// Microsatellite / mismatch-repair condition; nil = none.
    public var microsatelliteRequirement: MicrosatelliteRequirement?
    /// Tumour mutational burden condition; nil = none.
    public var tmbRequirement: TMBRequirement?
    /// Prior lines and agents; nil = none.
    public var priorTherapy: PriorTherapyRequirement?
    /// Laboratory conditions; all must hold.
    public var labRequirements: [LabRequirement]
    /// Measurable disease required under these response criteria; nil = not required.
    public var measurableDisease: ResponseCriteria?
    /// The usual immune checkpoint inhibitor exclusions (all off by default).
    public var immunotherapyExclusions: ImmunotherapyExclusions

    public init(
        conditionCodes: [String] = [], excludedConditionCodes: [String] = [], stages: [String] = [],
        minAgeYears: Int? = nil, maxAgeYears: Int? = nil, maxECOG: Int? = nil,
        requiredBiomarkers: [BiomarkerRequirement] = [], excludedPriorTherapies: [String] = [],
        sexes: [Sex] = [], histologyCodes: [String] = [], excludedHistologyCodes: [String] = [],
        pdl1Requirements: [PDL1Requirement] = [], microsatelliteRequirement: MicrosatelliteRequirement? = nil,
        tmbRequirement: TMBRequirement? = nil, priorTherapy: PriorTherapyRequirement? = nil,
        labRequirements: [LabRequirement] = [], measurableDisease: ResponseCriteria? = nil,
        immunotherapyExclusions: ImmunotherapyExclusions = ImmunotherapyExclusions()
    ) {
        self.conditionCodes = conditionCodes
        self.excludedConditionCodes = excludedConditionCodes
        self.stages = stages
        self.minAgeYears = minAgeYears
        self.maxAgeYears = maxAgeYears
        self.maxECOG = maxECOG
        self.requiredBiomarkers = requiredBiomarkers
        self.excludedPriorTherapies = excludedPriorTherapies
        self.sexes = sexes
        self.histologyCodes = histologyCodes
        self.excludedHistologyCodes = excludedHistologyCodes
        self.pdl1Requirements = pdl1Requirements
        self.microsatelliteRequirement = microsatelliteRequirement
        self.tmbRequirement = tmbRequirement
        self.priorTherapy = priorTherapy
        self.labRequirements = labRequirements
        self.measurableDisease = measurableDisease
        self.immunotherapyExclusions = immunotherapyExclusions
    }
}
