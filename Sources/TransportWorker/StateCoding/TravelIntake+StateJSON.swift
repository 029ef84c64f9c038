import TransportBooking

// `TravelIntake`, `TravelAssistance` and `VisitTravelNeed` as their synthesized `Codable`
// conformances write and read them. Keys in UTF-8 byte order; a set is written sorted (a valid
// order of `JSONEncoder`'s, which follows the set's iteration order).

extension StateJSONWriter {
    mutating func intake(_ intake: TravelIntake) throws(Unrepresentable) {
        beginObject()
        key("assistance")
        beginArray()
        for request in intake.assistance { try assistance(request) }
        endArray()
        key("needs")
        beginObject()
        for (visitID, need) in intake.needs.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            key(visitID)
            try self.need(need)
        }
        endObject()
        key("patientRef")
        string(intake.patientRef)
        endObject()
    }

    mutating func assistance(_ request: TravelAssistance) throws(Unrepresentable) {
        beginObject()
        key("cancelledVisitIDs")
        strings(request.cancelledVisitIDs.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        key("companions")
        uint(request.companions)
        key("contactToken")
        string(request.contactToken)
        if let dropOff = request.dropOff {
            key("dropOff")
            try location(dropOff)
        }
        field("language", request.language)
        field("mobility", request.mobility?.rawValue)
        key("pickup")
        try location(request.pickup)
        field("preferredPartnerID", request.preferredPartnerID)
        key("requestID")
        string(request.requestID)
        key("returnTrip")
        bool(request.returnTrip)
        key("trialID")
        string(request.trialID)
        field("visitID", request.visitID)
        endObject()
    }

    mutating func need(_ need: VisitTravelNeed) throws(Unrepresentable) {
        beginObject()
        key("appointmentAt")
        int(need.appointmentAt)
        key("companions")
        uint(need.companions)
        key("destination")
        try location(need.destination)
        key("language")
        string(need.language)
        field("mobility", need.mobility?.rawValue)
        key("trialID")
        string(need.trialID)
        field("visitDurationMinutes", need.visitDurationMinutes)
        key("visitID")
        string(need.visitID)
        endObject()
    }
}

extension StateJSONReader {
    mutating func intake() throws(Unreadable) -> TravelIntake {
        var patientRef: String?
        var assistance: [TravelAssistance]?
        var needs: [String: VisitTravelNeed]?
        try beginObject()
        var first = true
        while let key = try nextKey(first: &first) {
            switch key {
            case "patientRef": patientRef = try string()
            case "assistance":
                var requests: [TravelAssistance] = []
                try beginArray()
                var more = true
                while try nextElement(first: &more) { requests.append(try self.assistance()) }
                assistance = requests
            case "needs":
                var byVisit: [String: VisitTravelNeed] = [:]
                try beginObject()
                var more = true
                while let visitID = try nextKey(first: &more) { byVisit[visitID] = try need() }
                needs = byVisit
            default: try skipValue()
            }
        }
        guard let patientRef, let assistance, let needs else { throw Unreadable() }
        return TravelIntake(patientRef: patientRef, assistance: assistance, needs: needs)
    }

    mutating func assistance() throws(Unreadable) -> TravelAssistance {
        var requestID: String?
        var trialID: String?
        var visitID: String?
        var pickup: Location?
        var dropOff: Location?
        var returnTrip: Bool?
        var mobility: Mobility?
        var companions: UInt32?
        var language: String?
        var contactToken: String?
        var preferredPartnerID: String?
        var cancelledVisitIDs: [String]?
        try beginObject()
        var first = true
        while let key = try nextKey(first: &first) {
            switch key {
            case "requestID": requestID = try string()
            case "trialID": trialID = try string()
            case "visitID": visitID = try null() ? nil : try string()
            case "pickup": pickup = try location()
            case "dropOff": dropOff = try null() ? nil : try location()
            case "returnTrip": returnTrip = try bool()
            case "mobility": mobility = try null() ? nil : try value(Mobility.self)
            case "companions": companions = try uint32()
            case "language": language = try null() ? nil : try string()
            case "contactToken": contactToken = try string()
            case "preferredPartnerID": preferredPartnerID = try null() ? nil : try string()
            case "cancelledVisitIDs": cancelledVisitIDs = try strings()
            default: try skipValue()
            }
        }
        guard let requestID, let trialID, let pickup, let returnTrip, let companions, let contactToken,
            let cancelledVisitIDs
        else { throw Unreadable() }
        var request = TravelAssistance(
            requestID: requestID, trialID: trialID, visitID: visitID, pickup: pickup, dropOff: dropOff,
            returnTrip: returnTrip, mobility: mobility, companions: companions, language: language,
            contactToken: contactToken, preferredPartnerID: preferredPartnerID)
        // As stored: the initializer would turn empty ids into nil, `Decodable` does not.
        request.visitID = visitID
        request.preferredPartnerID = preferredPartnerID
        request.cancelledVisitIDs = Set(cancelledVisitIDs)
        return request
    }

    mutating func need() throws(Unreadable) -> VisitTravelNeed {
        var visitID: String?
        var trialID: String?
        var appointmentAt: Int64?
        var visitDurationMinutes: UInt32?
        var destination: Location?
        var mobility: Mobility?
        var companions: UInt32?
        var language: String?
        try beginObject()
        var first = true
        while let key = try nextKey(first: &first) {
            switch key {
            case "visitID": visitID = try string()
            case "trialID": trialID = try string()
            case "appointmentAt": appointmentAt = try int64()
            case "visitDurationMinutes": visitDurationMinutes = try null() ? nil : try uint32()
            case "destination": destination = try location()
            case "mobility": mobility = try null() ? nil : try value(Mobility.self)
            case "companions": companions = try uint32()
            case "language": language = try string()
            default: try skipValue()
            }
        }
        guard let visitID, let trialID, let appointmentAt, let destination, let companions, let language else {
            throw Unreadable()
        }
        return VisitTravelNeed(
            visitID: visitID, trialID: trialID, appointmentAt: appointmentAt,
            visitDurationMinutes: visitDurationMinutes, destination: destination, mobility: mobility,
            companions: companions, language: language)
    }
}
