/// A referral to trial access (mirrors `PatientReferred` and `RequestTrialAccessRequest.referral`).
///
/// Clinical facts are used for matching only and are not stored on the enrollment; the home
/// location is used for site distance only and is never stored either.
public struct PatientReferral: Codable, Sendable, Hashable {
    /// Referral id in the enrollment system.
    public var referralID: String
    /// Trial referred to; nil = match against every recruiting trial (proto: empty).
    public var trialID: String?
    /// Primary diagnosis code, e.g. ICD-10 "C34.1"; nil = not known.
    public var conditionCode: String?
    /// Coding system of `conditionCode`; nil = ICD-10. Another system cannot be matched (needs review).
    public var conditionSystem: String?
    /// Stage group, AJCC/UICC TNM 8th edition, e.g. "IV"; nil = not known.
    public var stage: String?
    /// Age in whole years; nil = not known.
    public var ageYears: Int?
    /// ECOG performance status 0-5; nil = not known.
    public var ecog: Int?
    /// Biomarker results known at referral.
    public var biomarkers: [BiomarkerResult]
    /// Prior systemic therapies as ATC or class codes ("L01FF02", "ANTI_PD1").
    public var priorTherapies: [String]
    /// Home area (postcode-area centroid, about 1 km); nil = not known.
    public var homeLocation: GeoPoint?
    /// Farthest the patient will travel, straight-line km; nil = no limit (proto: 0).
    public var maxTravelKm: Int?
    /// Mobility need for rides; nil = not given.
    public var mobility: Mobility?
    /// Companions riding along.
    public var companions: Int
    /// Preferred language, BCP 47; nil = not given.
    public var language: String?
    /// Consents given so far. Those tied to another trial than the one matched are not kept.
    public var consents: [Consent]
    /// The referring system asked for travel assistance to every visit. (No v1 wire field: the
    /// wiring sets it only when it knows; a `TravelAssistanceRequested` does the same per request.)
    public var wantsTravel: Bool

    // Facts for immunotherapy criteria; each nil / empty = not known.

    public var sex: Sex?
    /// Tumour histology, ICD-O-3 morphology ("8140/3").
    public var histologyCode: String?
    public var pdl1Results: [PDL1Result]
    public var microsatelliteStatus: MicrosatelliteStatus?
    public var mismatchRepairStatus: MismatchRepairStatus?
    public var tmb: TMBResult?
    /// The complete treatment history; nil = not known.
    public var treatmentHistory: TreatmentHistory?
    public var labResults: [LabResult]
    public var diseaseAssessment: DiseaseAssessment?
    public var immunotherapyRiskFactors: ImmunotherapyRiskFactors

    public init(
        referralID: String, trialID: String? = nil, conditionCode: String? = nil, conditionSystem: String? = nil,
        stage: String? = nil, ageYears: Int? = nil, ecog: Int? = nil, biomarkers: [BiomarkerResult] = [],
        priorTherapies: [String] = [], homeLocation: GeoPoint? = nil, maxTravelKm: Int? = nil,
        mobility: Mobility? = nil, companions: Int = 0, language: String? = nil, consents: [Consent] = [],
        wantsTravel: Bool = false, sex: Sex? = nil, histologyCode: String? = nil, pdl1Results: [PDL1Result] = [],
        microsatelliteStatus: MicrosatelliteStatus? = nil, mismatchRepairStatus: MismatchRepairStatus? = nil,
        tmb: TMBResult? = nil, treatmentHistory: TreatmentHistory? = nil, labResults: [LabResult] = [],
        diseaseAssessment: DiseaseAssessment? = nil,
        immunotherapyRiskFactors: ImmunotherapyRiskFactors = ImmunotherapyRiskFactors()
    ) {
        self.referralID = referralID
        self.trialID = trialID
        self.conditionCode = conditionCode
        self.conditionSystem = conditionSystem
        self.stage = stage
        self.ageYears = ageYears
        self.ecog = ecog
        self.biomarkers = biomarkers
        self.priorTherapies = priorTherapies
        self.homeLocation = homeLocation
        self.maxTravelKm = maxTravelKm
        self.mobility = mobility
        self.companions = companions
        self.language = language
        self.consents = consents
        self.wantsTravel = wantsTravel
        self.sex = sex
        self.histologyCode = histologyCode
        self.pdl1Results = pdl1Results
        self.microsatelliteStatus = microsatelliteStatus
        self.mismatchRepairStatus = mismatchRepairStatus
        self.tmb = tmb
        self.treatmentHistory = treatmentHistory
        self.labResults = labResults
        self.diseaseAssessment = diseaseAssessment
        self.immunotherapyRiskFactors = immunotherapyRiskFactors
    }
}
