import TransitRuntime
import TransitWire
import TransportBooking

// Values shared by the stored booking and intake (package trialtransit.store.v1) <-> domain.
// Reading throws ``UnreadableStoredValue`` for what the domain cannot hold (an unknown enum number,
// a missing required message); the caller reports the aggregate's type only.

extension StoredRideNeeds {
    init(_ needs: RideNeeds) {
        self.init(mobility: Wire.Mobility(needs.mobility), companions: needs.companions, language: needs.language)
    }

    func domain() throws -> RideNeeds {
        RideNeeds(mobility: try mobility.domain.orUnreadable(), companions: companions, language: language)
    }
}

extension Optional where Wrapped == StoredRideNeeds {
    func domain() throws -> RideNeeds { try orUnreadable().domain() }
}

extension Optional where Wrapped == Wire.Location {
    /// The domain location; nil when absent.
    func domain() throws -> Domain.Location? {
        guard let location = self else { return nil }
        return try location.domain.orUnreadable()
    }
}

extension Wire.LegDirection {
    var domain: Domain.LegDirection? { Domain.LegDirection.allCases.first { $0.protoNumber == rawValue } }
}

extension Wire.AttentionReason {
    init(optional value: Domain.AttentionReason?) { self.init(rawValue: value?.protoNumber ?? 0) }
    var domain: Domain.AttentionReason? { Domain.AttentionReason.allCases.first { $0.protoNumber == rawValue } }
}

extension Wire.Mobility {
    init(optional value: Domain.Mobility?) { self.init(rawValue: value?.protoNumber ?? 0) }

    /// nil for UNSPECIFIED; throws for a number the domain does not know.
    func optionalDomain() throws -> Domain.Mobility? {
        rawValue == 0 ? nil : try domain.orUnreadable()
    }
}
