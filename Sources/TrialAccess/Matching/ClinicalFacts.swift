// Patient-side facts for immunotherapy criteria (mirror the messages of `clinical.proto`).
// Used for matching only, never stored (see ``PatientReferral``).

/// A PD-L1 result (mirrors `trialtransit.v1.PdL1Result`).
public struct PDL1Result: Codable, Sendable, Hashable {
    public var scoreType: PDL1ScoreType
    /// The score: 55 for a TPS of 55 %.
    public var value: Double
    /// Assay (antibody clone), e.g. "22C3"; nil = not known.
    public var assay: String?
    /// When the sample was measured, unix ms; nil = not known. The newest result of a type counts.
    public var measuredAt: Int64?

    public init(scoreType: PDL1ScoreType, value: Double, assay: String? = nil, measuredAt: Int64? = nil) {
        self.scoreType = scoreType
        self.value = value
        self.assay = assay
        self.measuredAt = measuredAt
    }
}

/// Tumour mutational burden (mirrors `trialtransit.v1.TmbResult`).
public struct TMBResult: Codable, Sendable, Hashable {
    public var mutationsPerMb: Double
    /// Assay; nil = not known.
    public var assay: String?
    /// When the sample was measured, unix ms; nil = not known.
    public var measuredAt: Int64?

    public init(mutationsPerMb: Double, assay: String? = nil, measuredAt: Int64? = nil) {
        self.mutationsPerMb = mutationsPerMb
        self.assay = assay
        self.measuredAt = measuredAt
    }
}

/// The patient's complete systemic treatment history (mirrors `trialtransit.v1.TreatmentHistory`).
public struct TreatmentHistory: Codable, Sendable, Hashable {
    /// Lines of systemic therapy for the current cancer.
    public var priorLines: Int
    /// Every agent received.
    public var priorAgents: [CodedConcept]

    public init(priorLines: Int, priorAgents: [CodedConcept] = []) {
        self.priorLines = priorLines
        self.priorAgents = priorAgents
    }
}

/// A laboratory result (mirrors `trialtransit.v1.LabResult`).
public struct LabResult: Codable, Sendable, Hashable {
    /// Test code as in ``LabRequirement/code``.
    public var code: String
    public var value: Double
    /// UCUM unit.
    public var unit: String
    /// Upper limit of normal of the measuring laboratory, in `unit`; nil = not given (proto: 0).
    public var upperLimitOfNormal: Double?
    /// When the sample was taken, unix ms; nil = not known. The newest result of a code counts.
    public var measuredAt: Int64?

    public init(code: String, value: Double, unit: String, upperLimitOfNormal: Double? = nil, measuredAt: Int64? = nil)
    {
        self.code = code
        self.value = value
        self.unit = unit
        self.upperLimitOfNormal = upperLimitOfNormal
        self.measuredAt = measuredAt
    }
}

/// Whether the patient has measurable disease (mirrors `trialtransit.v1.DiseaseAssessment`).
public struct DiseaseAssessment: Codable, Sendable, Hashable {
    /// Criteria of the assessment; nil = not given (cannot be compared).
    public var criteria: ResponseCriteria?
    public var measurable: Bool
    /// When the imaging was assessed, unix ms; nil = not known.
    public var assessedAt: Int64?

    public init(criteria: ResponseCriteria?, measurable: Bool, assessedAt: Int64? = nil) {
        self.criteria = criteria
        self.measurable = measurable
        self.assessedAt = assessedAt
    }
}

/// Facts the usual immunotherapy exclusions look at (mirrors `trialtransit.v1.ImmunotherapyRiskFactors`);
/// nil = not known, for each.
public struct ImmunotherapyRiskFactors: Codable, Sendable, Hashable {
    /// Autoimmune disease that needed systemic treatment at any time.
    public var autoimmuneDiseaseSystemicTreatment: Bool?
    /// When that treatment was last given, unix ms.
    public var autoimmuneSystemicTreatmentLastAt: Int64?
    /// Current systemic corticosteroid dose, mg/day prednisone equivalent (0 = none).
    public var prednisoneEquivalentMgPerDay: Double?
    /// Pneumonitis that needed steroids, or current pneumonitis.
    public var priorPneumonitis: Bool?
    /// Active CNS metastases.
    public var activeCNSMetastases: Bool?
    /// Allogeneic organ or stem-cell transplant.
    public var organTransplant: Bool?

    public init(
        autoimmuneDiseaseSystemicTreatment: Bool? = nil, autoimmuneSystemicTreatmentLastAt: Int64? = nil,
        prednisoneEquivalentMgPerDay: Double? = nil, priorPneumonitis: Bool? = nil, activeCNSMetastases: Bool? = nil,
        organTransplant: Bool? = nil
    ) {
        self.autoimmuneDiseaseSystemicTreatment = autoimmuneDiseaseSystemicTreatment
        self.autoimmuneSystemicTreatmentLastAt = autoimmuneSystemicTreatmentLastAt
        self.prednisoneEquivalentMgPerDay = prednisoneEquivalentMgPerDay
        self.priorPneumonitis = priorPneumonitis
        self.activeCNSMetastases = activeCNSMetastases
        self.organTransplant = organTransplant
    }

    /// Every fact known and none of them present.
    public static let allAbsent = ImmunotherapyRiskFactors(
        autoimmuneDiseaseSystemicTreatment: false, prednisoneEquivalentMgPerDay: 0, priorPneumonitis: false,
        activeCNSMetastases: false, organTransplant: false)
}
