import TransitWire
import TrialAccess

// Wire -> domain for the values shared by several messages (common.proto, Visit). Conventions
// (docs/TRIAL_ACCESS.md §2): "" and 0-that-means-none become nil; UNSPECIFIED and unknown enum
// numbers become nil, except WithdrawalReason which becomes `.other`.

extension TransitWire.GeoPoint {
    var domain: TrialAccess.GeoPoint { TrialAccess.GeoPoint(latitude: latitude, longitude: longitude) }
}

extension TransitWire.Location {
    var domain: SiteLocation {
        SiteLocation(point: (point ?? TransitWire.GeoPoint()).domain, addressText: addressText)
    }
}

extension TrialAccess.TimeWindow {
    /// Stands for "no protocol window given": every time lies in it. Mapped back to an absent field.
    static let unstated = TrialAccess.TimeWindow(startAt: .min, endAt: .max)
}

extension TransitWire.TimeWindow {
    /// An all-zero window is proto3's "not set".
    var domain: TrialAccess.TimeWindow {
        startAt == 0 && endAt == 0 ? .unstated : TrialAccess.TimeWindow(startAt: startAt, endAt: endAt)
    }
}

extension TransitWire.Mobility {
    var domain: TrialAccess.Mobility? { TrialAccess.Mobility(protoNumber: rawValue) }
}

extension TransitWire.ConsentScope {
    var domain: TrialAccess.ConsentScope? { TrialAccess.ConsentScope(protoNumber: rawValue) }
}

extension TransitWire.CancellationActor {
    var domain: TrialAccess.CancellationActor? { TrialAccess.CancellationActor(protoNumber: rawValue) }
}

extension TransitWire.WithdrawalReason {
    var domain: TrialAccess.WithdrawalReason { TrialAccess.WithdrawalReason(protoNumber: rawValue) }
}

extension TransitWire.ScreeningOutcome {
    var domain: TrialAccess.ScreeningOutcome? { TrialAccess.ScreeningOutcome(protoNumber: rawValue) }
}

extension TransitWire.Consent {
    /// The consent; throws when its scope is unspecified or unknown.
    func domain(field: String) throws(WireMappingError) -> TrialAccess.Consent {
        guard let scope = scope.domain else { throw .unspecified("\(field).scope") }
        return TrialAccess.Consent(scope: scope, version: version, grantedAt: grantedAt, trialID: trialId.givenOrNil)
    }
}

extension TransitWire.BiomarkerResult {
    var domain: TrialAccess.BiomarkerResult {
        TrialAccess.BiomarkerResult(
            code: code, value: value, unit: unit, measuredAt: measuredAt == 0 ? nil : measuredAt)
    }
}

extension TransitWire.Visit {
    var domain: TrialAccess.Visit {
        TrialAccess.Visit(
            visitID: visitId, trialID: trialId, siteID: siteId, visitCode: visitCode, scheduledAt: scheduledAt,
            protocolWindow: protocolWindow?.domain ?? .unstated,
            durationMinutes: durationMinutes == 0 ? nil : Int(durationMinutes))
    }
}
