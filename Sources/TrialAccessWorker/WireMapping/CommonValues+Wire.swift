import TransitWire
import TrialAccess

// Domain -> wire for the values shared by several messages.

extension TrialAccess.GeoPoint {
    var wire: TransitWire.GeoPoint {
        var point = TransitWire.GeoPoint()
        point.latitude = latitude
        point.longitude = longitude
        return point
    }
}

extension SiteLocation {
    var wire: TransitWire.Location {
        var location = TransitWire.Location()
        location.point = point.wire
        location.addressText = addressText
        return location
    }
}

extension TrialAccess.TimeWindow {
    /// nil for ``unstated``.
    var wire: TransitWire.TimeWindow? {
        guard self != .unstated else { return nil }
        var window = TransitWire.TimeWindow()
        window.startAt = startAt
        window.endAt = endAt
        return window
    }
}

extension TrialAccess.Visit {
    var wire: TransitWire.Visit {
        var visit = TransitWire.Visit()
        visit.visitId = visitID
        visit.trialId = trialID
        visit.siteId = siteID
        visit.visitCode = visitCode
        visit.scheduledAt = scheduledAt
        visit.protocolWindow = protocolWindow.wire
        visit.durationMinutes = UInt32(clamping: durationMinutes ?? 0)
        return visit
    }
}

extension TrialAccess.Consent {
    var wire: TransitWire.Consent {
        var consent = TransitWire.Consent()
        consent.scope = TransitWire.ConsentScope(rawValue: scope.protoNumber)
        consent.version = version
        consent.grantedAt = grantedAt
        consent.trialId = trialID ?? ""
        return consent
    }
}

extension TrialAccess.EnrollmentState {
    var wire: TransitWire.EnrollmentState { TransitWire.EnrollmentState(rawValue: protoNumber) }
}

extension Optional where Wrapped == TrialAccess.WithdrawalReason {
    var wire: TransitWire.WithdrawalReason { TransitWire.WithdrawalReason(rawValue: self?.protoNumber ?? 0) }
}

extension Optional where Wrapped == TrialAccess.Mobility {
    var wire: TransitWire.Mobility { TransitWire.Mobility(rawValue: self?.protoNumber ?? 0) }
}
