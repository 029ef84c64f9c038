/// Per-patient memory that joins `TravelAssistanceRequested` (pickup, contact token) with
/// `TravelNeeded` (visit time, site): a visit is booked once both are known. Stored by the wiring
/// next to the patient's bookings; pure value type.
///
/// Join rules: a request naming the visit beats a trial-wide one, a later one beats an earlier;
/// mobility and language come from the request unless it leaves them unspecified, then from the
/// referral (`TravelNeeded`), then ambulatory / empty; companions = the larger of the two; drop-off
/// = the request's, else the site.
public struct TravelIntake: Codable, Sendable, Hashable {
    /// Pseudonymous patient reference.
    public var patientRef: String
    /// Travel requests in arrival order (personal data; dropped on erasure).
    public private(set) var assistance: [TravelAssistance]
    /// Visits that need travel, by visit id.
    public private(set) var needs: [String: VisitTravelNeed]

    public init(patientRef: String) {
        self.patientRef = patientRef
        self.assistance = []
        self.needs = [:]
    }

    /// An intake exactly as stored (for the wiring's own state decoder; `Decodable` does the same).
    public init(patientRef: String, assistance: [TravelAssistance], needs: [String: VisitTravelNeed]) {
        self.patientRef = patientRef
        self.assistance = assistance
        self.needs = needs
    }

    /// Records a travel request (replacing one with the same id); returns the visits now bookable.
    /// Request event ids are `<eventID>/<visitID>`.
    public mutating func record(_ request: TravelAssistance, eventID: String) -> [TravelRequest] {
        assistance.removeAll { $0.requestID == request.requestID }
        assistance.append(request)
        let ordered = needs.values.sorted { ($0.appointmentAt, $0.visitID) < ($1.appointmentAt, $1.visitID) }
        return ordered.filter { request.covers($0) && self.assistance(for: $0)?.requestID == request.requestID }
            .compactMap {
                self.request(for: $0.visitID, eventID: "\(eventID)/\($0.visitID)", origin: .travelAssistanceRequested)
            }
    }

    /// Records a visit that needs travel (replacing an earlier one); returns its request when a
    /// travel request covers it. The request's event id is `eventID`.
    public mutating func record(_ need: VisitTravelNeed, eventID: String) -> TravelRequest? {
        needs[need.visitID] = need
        return request(for: need.visitID, eventID: eventID, origin: .travelNeeded)
    }

    /// `TravelNoLongerNeeded`: forgets the visit.
    public mutating func removeNeed(visitID: String) {
        needs[visitID] = nil
    }

    /// `TravelAssistanceCancelled`: forgets the request (or only one of its visits) and returns the
    /// visit ids whose bookings should be cancelled (bookings with this `travelRequestID` too).
    public mutating func cancel(requestID: String, visitID: String?) -> [String] {
        guard let index = assistance.firstIndex(where: { $0.requestID == requestID }) else {
            return visitID.flatMap { $0.isEmpty ? nil : [$0] } ?? []
        }
        let request = assistance[index]
        if let visitID, !visitID.isEmpty {
            assistance[index].cancelledVisitIDs.insert(visitID)
            return [visitID]
        }
        let served = needs.values.filter { request.covers($0) && self.assistance(for: $0)?.requestID == requestID }
            .map(\.visitID)
        assistance.remove(at: index)
        return Set(served + [request.visitID].compactMap { $0 }).sorted()
    }

    /// `PatientDataErasureRequested`: drops every travel request (they hold the addresses and tokens).
    public mutating func erasePersonalData() {
        assistance.removeAll()
    }

    /// The travel request that applies to a visit, if any.
    public func assistance(for need: VisitTravelNeed) -> TravelAssistance? {
        let covering = assistance.filter { $0.covers(need) }
        return covering.last { $0.visitID != nil } ?? covering.last
    }

    /// The joined request for a visit, when both halves are known.
    public func request(
        for visitID: String, eventID: String, origin: TravelRequest.Origin = .travelAssistanceRequested
    ) -> TravelRequest? {
        guard let need = needs[visitID], let help = assistance(for: need) else { return nil }
        let language = help.language.flatMap { $0.isEmpty ? nil : $0 } ?? need.language
        return TravelRequest(
            eventID: eventID, origin: origin, patientRef: patientRef, trialID: need.trialID,
            visitID: need.visitID, travelRequestID: help.requestID, appointmentAt: need.appointmentAt,
            visitDurationMinutes: need.visitDurationMinutes, pickup: help.pickup,
            dropOff: help.dropOff ?? need.destination, returnTrip: help.returnTrip,
            needs: RideNeeds(
                mobility: help.mobility ?? need.mobility ?? .ambulatory,
                companions: max(help.companions, need.companions), language: language),
            contactToken: help.contactToken, preferredPartnerID: help.preferredPartnerID, urgent: need.urgent)
    }
}
