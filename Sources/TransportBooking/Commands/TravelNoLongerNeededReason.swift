import TransitDomain

/// Why trial access no longer needs a visit's rides; one definition in `TransitDomain`, shared with
/// trial access (its `TravelRetractionReason`).
public typealias TravelNoLongerNeededReason = TransitDomain.TravelNoLongerNeededReason
