/// A measured biomarker of the patient's tumour (mirrors `trialtransit.v1.BiomarkerResult`).
public struct BiomarkerResult: Codable, Sendable, Hashable {
    /// Marker code, upper case, e.g. "PDL1_TPS", "EGFR", "MSI_H".
    public var code: String
    /// Value in `unit`: 55 for a PD-L1 TPS of 55 %; 1 / 0 for a qualitative marker (unit "bool").
    public var value: Double
    /// Unit of `value`: "%", "mut/Mb", "bool".
    public var unit: String
    /// When the sample was measured, unix ms; nil when not known. The newest result of a code counts.
    public var measuredAt: Int64?

    public init(code: String, value: Double, unit: String, measuredAt: Int64? = nil) {
        self.code = code
        self.value = value
        self.unit = unit
        self.measuredAt = measuredAt
    }
}
