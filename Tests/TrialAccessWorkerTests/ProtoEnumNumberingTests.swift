import Testing
import TransitDomain
import TransitWire
import TransportBooking
import TrialAccess

/// The domain enums number their values by case order (`ProtoNumbered`): each must list
/// exactly the values of its proto enum, in the proto's order, so that a value added out of order
/// on either side fails here instead of mapping to the wrong number on the wire.
@Suite("domain enums: proto numbering")
struct ProtoEnumNumberingTests {
    @Test func everyDomainEnumListsItsProtoEnumsValuesInOrder() throws {
        try expectMirror(TransitDomain.CancellationActor.self, TransitWire.CancellationActor.self)
        try expectMirror(TransitDomain.TravelNoLongerNeededReason.self, TransitWire.TravelNoLongerNeededReason.self)
        try expectMirror(TransitDomain.Mobility.self, TransitWire.Mobility.self)
        try expectMirror(TrialAccess.TrialPhase.self, TransitWire.TrialPhase.self)
        try expectMirror(TrialAccess.RecruitingStatus.self, TransitWire.RecruitingStatus.self)
        try expectMirror(TrialAccess.Comparison.self, TransitWire.Comparison.self)
        try expectMirror(TrialAccess.MicrosatelliteRequirement.self, TransitWire.MicrosatelliteRequirement.self)
        try expectMirror(TrialAccess.AdverseEventReporter.self, TransitWire.AdverseEventReporter.self)
        try expectMirror(TrialAccess.ScreeningOutcome.self, TransitWire.ScreeningOutcome.self)
        try expectMirror(TrialAccess.VisitRiskReason.self, TransitWire.VisitRiskReason.self)
        try expectMirror(TrialAccess.Sex.self, TransitWire.Sex.self)
        try expectMirror(TrialAccess.PDL1ScoreType.self, TransitWire.PdL1ScoreType.self)
        try expectMirror(TrialAccess.MicrosatelliteStatus.self, TransitWire.MicrosatelliteStatus.self)
        try expectMirror(TrialAccess.MismatchRepairStatus.self, TransitWire.MismatchRepairStatus.self)
        try expectMirror(TrialAccess.ResponseCriteria.self, TransitWire.ResponseCriteria.self)
        try expectMirror(TrialAccess.EnrollmentState.self, TransitWire.EnrollmentState.self)
        try expectMirror(TrialAccess.ConsentScope.self, TransitWire.ConsentScope.self)
        try expectMirror(TrialAccess.WithdrawalReason.self, TransitWire.WithdrawalReason.self)
        try expectMirror(TrialAccess.SlotReleaseReason.self, TransitWire.SlotReleaseReason.self)
        try expectMirror(TransportBooking.RideStatus.self, TransitWire.RideStatus.self)
        try expectMirror(TransportBooking.LegDirection.self, TransitWire.LegDirection.self)
        try expectMirror(TransportBooking.AttentionReason.self, TransitWire.AttentionReason.self)
        try expectMirror(TransportBooking.PartnerReason.self, TransitWire.PartnerReason.self)
    }

    /// Each case of `domain` has the number of the proto value named after it (`needsReview` ↔
    /// `ENROLLMENT_STATE_NEEDS_REVIEW`, or its raw value where that is the proto name, as for
    /// `ProtoEnumMirror`s), and every proto value but UNSPECIFIED has a case.
    private func expectMirror<Domain: ProtoNumbered, Wire: WireEnum>(
        _ domain: Domain.Type, _ wire: Wire.Type, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let unspecified = try #require(Wire(rawValue: 0).name, "\(Wire.protoName) has no value 0", sourceLocation: sourceLocation)
        let prefix = try #require(
            unspecified.hasSuffix("UNSPECIFIED") ? String(unspecified.dropLast("UNSPECIFIED".count)) : nil,
            "\(Wire.protoName)'s value 0 is \(unspecified), not …_UNSPECIFIED", sourceLocation: sourceLocation)
        #expect(
            Domain.allCases.count == Wire.knownValues.count - 1,
            "\(Domain.self) has \(Domain.allCases.count) cases, \(Wire.protoName) \(Wire.knownValues.count - 1) values besides UNSPECIFIED",
            sourceLocation: sourceLocation)
        for value in Domain.allCases {
            let expected = Self.protoName(of: value, prefix: prefix)
            #expect(
                Wire(rawValue: value.protoNumber).name == expected,
                "\(Domain.self) case \(String(describing: value)) is number \(value.protoNumber), which \(Wire.protoName) names \(Wire(rawValue: value.protoNumber).name ?? "nothing"), not \(expected)",
                sourceLocation: sourceLocation)
        }
    }

    /// The proto value name a case stands for: its raw value if that is one, else the prefix and
    /// the case name in upper snake case (`needsReview` → `…_NEEDS_REVIEW`).
    private static func protoName(of value: some ProtoNumbered, prefix: String) -> String {
        if let raw = (value as? any RawRepresentable)?.rawValue as? String, raw.hasPrefix(prefix) { return raw }
        var result = prefix
        for character in String(describing: value) {
            if character.isUppercase, !result.hasSuffix("_") { result.append("_") }
            result.append(character.uppercased())
        }
        return result
    }
}
