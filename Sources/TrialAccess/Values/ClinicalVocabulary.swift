/// Sex, as in FHIR AdministrativeGender (mirrors `trialtransit.v1.Sex`).
public enum Sex: String, ProtoEnumMirror {
    case female = "SEX_FEMALE"
    case male = "SEX_MALE"
    case other = "SEX_OTHER"
}

/// How PD-L1 expression is scored (mirrors `trialtransit.v1.PdL1ScoreType`).
public enum PDL1ScoreType: String, ProtoEnumMirror {
    /// Tumour proportion score, % of viable tumour cells.
    case tps = "PD_L1_SCORE_TYPE_TPS"
    /// Combined positive score (tumour cells and immune cells per 100 tumour cells).
    case cps = "PD_L1_SCORE_TYPE_CPS"
    /// Tumour-infiltrating immune cells, % of tumour area.
    case ic = "PD_L1_SCORE_TYPE_IC"

    /// Short name used in criterion codes: `TPS`, `CPS`, `IC`.
    public var shortName: String { String(rawValue.dropFirst("PD_L1_SCORE_TYPE_".count)) }
}

/// Microsatellite instability (mirrors `trialtransit.v1.MicrosatelliteStatus`).
public enum MicrosatelliteStatus: String, ProtoEnumMirror {
    case high = "MICROSATELLITE_STATUS_HIGH"
    case low = "MICROSATELLITE_STATUS_LOW"
    case stable = "MICROSATELLITE_STATUS_STABLE"
}

/// Mismatch-repair status (mirrors `trialtransit.v1.MismatchRepairStatus`).
public enum MismatchRepairStatus: String, ProtoEnumMirror {
    case deficient = "MISMATCH_REPAIR_STATUS_DEFICIENT"
    case proficient = "MISMATCH_REPAIR_STATUS_PROFICIENT"
}

/// Criteria for tumour response (mirrors `trialtransit.v1.ResponseCriteria`).
public enum ResponseCriteria: String, ProtoEnumMirror {
    case recist11 = "RESPONSE_CRITERIA_RECIST_1_1"
    case iRECIST = "RESPONSE_CRITERIA_IRECIST"
}

/// A code in a named coding system (mirrors `trialtransit.v1.CodedConcept`).
public struct CodedConcept: Codable, Sendable, Hashable {
    /// The WHO ATC classification's system URI.
    public static let atcSystem = "http://www.whocc.no/atc"

    /// Coding system URI.
    public var system: String
    /// Code in that system.
    public var code: String

    public init(system: String, code: String) {
        self.system = system
        self.code = code
    }

    /// An ATC code, e.g. `L01FF` (PD-1/PD-L1 inhibitors), `L01FF02` (pembrolizumab).
    public static func atc(_ code: String) -> CodedConcept { CodedConcept(system: atcSystem, code: code) }

    /// Whether `other` is this concept or below it: same system, and its code starts with this
    /// one (ATC is hierarchical: `L01FF` covers `L01FF02`). Codes compare case-insensitively.
    public func covers(_ other: CodedConcept) -> Bool {
        sameSystem(as: other) && other.code.trimmed.uppercased().hasPrefix(code.trimmed.uppercased())
    }

    /// Whether both name the same coding system (compared after trimming).
    public func sameSystem(as other: CodedConcept) -> Bool { system.trimmed == other.system.trimmed }
}

extension String {
    /// Without leading and trailing whitespace.
    var trimmed: String { String(trimmingWhitespace) }
}
