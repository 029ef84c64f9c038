/// A biomarker condition, e.g. PD-L1 TPS >= 50 %: `{code "PDL1_TPS", greaterOrEqual, 50, "%"}`;
/// EGFR mutation absent: `{code "EGFR", equal, 0, "bool"}` (mirrors `BiomarkerRequirement`).
public struct BiomarkerRequirement: Codable, Sendable, Hashable {
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

    private enum CodingKeys: String, CodingKey { case code, comparison, threshold, unit }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.optional(String.self, .code) ?? ""
        comparison = try container.decode(Comparison.self, forKey: .comparison)
        threshold = try container.optional(Double.self, .threshold) ?? 0
        unit = try container.optional(String.self, .unit) ?? ""
    }
}

/// Inclusion and exclusion rules of a trial (mirrors `EligibilityCriteria`). Every rule must hold.
/// A referral lacking a value a rule needs is not ineligible: it needs review.
public struct EligibilityCriteria: Codable, Sendable, Hashable {
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

    private enum CodingKeys: String, CodingKey {
        case conditionCodes, excludedConditionCodes, stages, minAgeYears, maxAgeYears
        case maxECOG = "maxEcog"
        case requiredBiomarkers, excludedPriorTherapies
        case sexes, histologyCodes, excludedHistologyCodes
        case pdl1Requirements = "pdL1Requirements"
        case microsatelliteRequirement, tmbRequirement, priorTherapy, labRequirements, measurableDisease
        case immunotherapyExclusions
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        conditionCodes = try container.optional([String].self, .conditionCodes) ?? []
        excludedConditionCodes = try container.optional([String].self, .excludedConditionCodes) ?? []
        stages = try container.optional([String].self, .stages) ?? []
        // proto3: 0 means "no bound" for ages; ECOG sits in a oneof, so 0 is a real limit.
        minAgeYears = try container.optional(Int.self, .minAgeYears).flatMap { $0 == 0 ? nil : $0 }
        maxAgeYears = try container.optional(Int.self, .maxAgeYears).flatMap { $0 == 0 ? nil : $0 }
        maxECOG = try container.optional(Int.self, .maxECOG)
        requiredBiomarkers = try container.optional([BiomarkerRequirement].self, .requiredBiomarkers) ?? []
        excludedPriorTherapies = try container.optional([String].self, .excludedPriorTherapies) ?? []
        sexes = try container.optional([Sex].self, .sexes) ?? []
        histologyCodes = try container.optional([String].self, .histologyCodes) ?? []
        excludedHistologyCodes = try container.optional([String].self, .excludedHistologyCodes) ?? []
        pdl1Requirements = try container.optional([PDL1Requirement].self, .pdl1Requirements) ?? []
        microsatelliteRequirement = try container.optional(MicrosatelliteRequirement.self, .microsatelliteRequirement)
        tmbRequirement = try container.optional(TMBRequirement.self, .tmbRequirement)
        priorTherapy = try container.optional(PriorTherapyRequirement.self, .priorTherapy)
        labRequirements = try container.optional([LabRequirement].self, .labRequirements) ?? []
        measurableDisease = try container.optional(ResponseCriteria.self, .measurableDisease)
        immunotherapyExclusions =
            try container.optional(ImmunotherapyExclusions.self, .immunotherapyExclusions) ?? ImmunotherapyExclusions()
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(conditionCodes, forKey: .conditionCodes)
        try container.encode(excludedConditionCodes, forKey: .excludedConditionCodes)
        try container.encode(stages, forKey: .stages)
        try container.encodeIfPresent(minAgeYears, forKey: .minAgeYears)
        try container.encodeIfPresent(maxAgeYears, forKey: .maxAgeYears)
        try container.encodeIfPresent(maxECOG, forKey: .maxECOG)
        try container.encode(requiredBiomarkers, forKey: .requiredBiomarkers)
        try container.encode(excludedPriorTherapies, forKey: .excludedPriorTherapies)
        // The immunotherapy criteria are written only when set, so files without them stay as they were.
        if !sexes.isEmpty { try container.encode(sexes, forKey: .sexes) }
        if !histologyCodes.isEmpty { try container.encode(histologyCodes, forKey: .histologyCodes) }
        if !excludedHistologyCodes.isEmpty { try container.encode(excludedHistologyCodes, forKey: .excludedHistologyCodes) }
        if !pdl1Requirements.isEmpty { try container.encode(pdl1Requirements, forKey: .pdl1Requirements) }
        try container.encodeIfPresent(microsatelliteRequirement, forKey: .microsatelliteRequirement)
        try container.encodeIfPresent(tmbRequirement, forKey: .tmbRequirement)
        try container.encodeIfPresent(priorTherapy, forKey: .priorTherapy)
        if !labRequirements.isEmpty { try container.encode(labRequirements, forKey: .labRequirements) }
        try container.encodeIfPresent(measurableDisease, forKey: .measurableDisease)
        if immunotherapyExclusions != ImmunotherapyExclusions() {
            try container.encode(immunotherapyExclusions, forKey: .immunotherapyExclusions)
        }
    }
}
