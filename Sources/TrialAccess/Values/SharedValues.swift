import TransitDomain

// The value types both domains share live in `TransitDomain`; these names keep
// `TrialAccess.GeoPoint` and friends meaning what they always did.
public typealias GeoPoint = TransitDomain.GeoPoint
public typealias Mobility = TransitDomain.Mobility
public typealias CancellationActor = TransitDomain.CancellationActor
public typealias TimeWindow = TransitDomain.TimeWindow
public typealias Millis = TransitDomain.Millis
