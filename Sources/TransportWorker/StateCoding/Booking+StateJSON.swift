import TransportBooking

// `Booking`, `RideLeg` and `LegTransition` as their synthesized `Codable` conformances write and
// read them. Keys in UTF-8 byte order; a new stored property needs a line on both sides here (the
// state coding tests compare every field with `JSONEncoder`'s and `JSONDecoder`'s).

extension StateJSONWriter {
    mutating func booking(_ booking: Booking) throws(Unrepresentable) {
        beginObject()
        key("appointmentAt")
        int(booking.appointmentAt)
        key("bookingID")
        string(booking.bookingID)
        key("createdAt")
        int(booking.createdAt)
        key("legs")
        beginArray()
        for leg in booking.legs { try self.leg(leg) }
        endArray()
        key("needs")
        needs(booking.needs)
        key("patientRef")
        string(booking.patientRef)
        field("personalDataErasedAt", booking.personalDataErasedAt)
        field("preferredPartnerID", booking.preferredPartnerID)
        if let window = booking.requestedPickupWindow {
            key("requestedPickupWindow")
            self.window(window)
        }
        key("returnTrip")
        bool(booking.returnTrip)
        key("revision")
        int(booking.revision)
        field("travelRequestID", booking.travelRequestID)
        key("trialID")
        string(booking.trialID)
        key("updatedAt")
        int(booking.updatedAt)
        field("visitDurationMinutes", booking.visitDurationMinutes)
        key("visitID")
        string(booking.visitID)
        endObject()
    }

    mutating func leg(_ leg: RideLeg) throws(Unrepresentable) {
        beginObject()
        field("arriveBy", leg.arriveBy)
        field("attentionReason", leg.attentionReason?.rawValue)
        field("cancelledBy", leg.cancelledBy?.rawValue)
        field("contactToken", leg.contactToken)
        field("currentPartnerID", leg.currentPartnerID)
        key("direction")
        string(leg.direction.rawValue)
        if let dropOff = leg.dropOff {
            key("dropOff")
            try location(dropOff)
        }
        field("etaAt", leg.etaAt)
        key("history")
        beginArray()
        for transition in leg.history { self.transition(transition) }
        endArray()
        key("lateCancellation")
        bool(leg.lateCancellation)
        key("legID")
        string(leg.legID)
        key("needs")
        needs(leg.needs)
        key("offerAttempts")
        uint(leg.offerAttempts)
        field("offerExpiresAt", leg.offerExpiresAt)
        field("partnerRideID", leg.partnerRideID)
        key("partnerSequences")
        beginObject()
        let sequences = leg.partnerSequences.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        for (partner, sequence) in sequences {
            key(partner)
            uint(sequence)
        }
        endObject()
        if let pickup = leg.pickup {
            key("pickup")
            try location(pickup)
        }
        key("pickupWindow")
        window(leg.pickupWindow)
        field("reasonCode", leg.reasonCode)
        key("revision")
        int(leg.revision)
        key("status")
        string(leg.status.rawValue)
        key("triedPartnerIDs")
        strings(leg.triedPartnerIDs)
        endObject()
    }

    mutating func transition(_ transition: LegTransition) {
        beginObject()
        key("at")
        int(transition.at)
        field("from", transition.from?.rawValue)
        field("partnerID", transition.partnerID)
        field("partnerSequence", transition.partnerSequence)
        key("reasonCode")
        string(transition.reasonCode)
        key("sourceEventID")
        string(transition.sourceEventID)
        key("to")
        string(transition.to.rawValue)
        endObject()
    }
}

extension StateJSONReader {
    mutating func booking() throws(Unreadable) -> Booking {
        var bookingID: String?
        var patientRef: String?
        var visitID: String?
        var trialID: String?
        var travelRequestID: String?
        var appointmentAt: Int64?
        var visitDurationMinutes: UInt32?
        var requestedPickupWindow: TimeWindow?
        var returnTrip: Bool?
        var needs: RideNeeds?
        var preferredPartnerID: String?
        var revision: Int?
        var legs: [RideLeg]?
        var createdAt: Int64?
        var updatedAt: Int64?
        var personalDataErasedAt: Int64?
        try beginObject()
        var first = true
        while let key = try nextKey(first: &first) {
            switch key {
            case "bookingID": bookingID = try string()
            case "patientRef": patientRef = try string()
            case "visitID": visitID = try string()
            case "trialID": trialID = try string()
            case "travelRequestID": travelRequestID = try null() ? nil : try string()
            case "appointmentAt": appointmentAt = try int64()
            case "visitDurationMinutes": visitDurationMinutes = try null() ? nil : try uint32()
            case "requestedPickupWindow": requestedPickupWindow = try null() ? nil : try window()
            case "returnTrip": returnTrip = try bool()
            case "needs": needs = try self.needs()
            case "preferredPartnerID": preferredPartnerID = try null() ? nil : try string()
            case "revision": revision = try int()
            case "legs":
                var all: [RideLeg] = []
                try beginArray()
                var more = true
                while try nextElement(first: &more) { all.append(try leg()) }
                legs = all
            case "createdAt": createdAt = try int64()
            case "updatedAt": updatedAt = try int64()
            case "personalDataErasedAt": personalDataErasedAt = try null() ? nil : try int64()
            default: try skipValue()
            }
        }
        guard let bookingID, let patientRef, let visitID, let trialID, let appointmentAt, let returnTrip, let needs,
            let revision, let legs, let createdAt, let updatedAt
        else { throw Unreadable() }
        return Booking(
            bookingID: bookingID, patientRef: patientRef, visitID: visitID, trialID: trialID,
            travelRequestID: travelRequestID, appointmentAt: appointmentAt, visitDurationMinutes: visitDurationMinutes,
            requestedPickupWindow: requestedPickupWindow, returnTrip: returnTrip, needs: needs,
            preferredPartnerID: preferredPartnerID, revision: revision, legs: legs, createdAt: createdAt,
            updatedAt: updatedAt, personalDataErasedAt: personalDataErasedAt)
    }

    mutating func leg() throws(Unreadable) -> RideLeg {
        var legID: String?
        var direction: LegDirection?
        var revision: Int?
        var status: RideStatus?
        var pickupWindow: TimeWindow?
        var arriveBy: Int64?
        var pickup: Location?
        var dropOff: Location?
        var contactToken: String?
        var needs: RideNeeds?
        var triedPartnerIDs: [String]?
        var currentPartnerID: String?
        var partnerRideID: String?
        var offerAttempts: UInt32?
        var offerExpiresAt: Int64?
        var partnerSequences: [String: UInt64]?
        var etaAt: Int64?
        var cancelledBy: CancellationActor?
        var lateCancellation: Bool?
        var reasonCode: String?
        var attentionReason: AttentionReason?
        var history: [LegTransition]?
        try beginObject()
        var first = true
        while let key = try nextKey(first: &first) {
            switch key {
            case "legID": legID = try string()
            case "direction": direction = try value(LegDirection.self)
            case "revision": revision = try int()
            case "status": status = try value(RideStatus.self)
            case "pickupWindow": pickupWindow = try window()
            case "arriveBy": arriveBy = try null() ? nil : try int64()
            case "pickup": pickup = try null() ? nil : try location()
            case "dropOff": dropOff = try null() ? nil : try location()
            case "contactToken": contactToken = try null() ? nil : try string()
            case "needs": needs = try self.needs()
            case "triedPartnerIDs": triedPartnerIDs = try strings()
            case "currentPartnerID": currentPartnerID = try null() ? nil : try string()
            case "partnerRideID": partnerRideID = try null() ? nil : try string()
            case "offerAttempts": offerAttempts = try uint32()
            case "offerExpiresAt": offerExpiresAt = try null() ? nil : try int64()
            case "partnerSequences":
                var sequences: [String: UInt64] = [:]
                try beginObject()
                var more = true
                while let partner = try nextKey(first: &more) { sequences[partner] = try uint64() }
                partnerSequences = sequences
            case "etaAt": etaAt = try null() ? nil : try int64()
            case "cancelledBy": cancelledBy = try null() ? nil : try value(CancellationActor.self)
            case "lateCancellation": lateCancellation = try bool()
            case "reasonCode": reasonCode = try null() ? nil : try string()
            case "attentionReason": attentionReason = try null() ? nil : try value(AttentionReason.self)
            case "history":
                var transitions: [LegTransition] = []
                try beginArray()
                var more = true
                while try nextElement(first: &more) { transitions.append(try transition()) }
                history = transitions
            default: try skipValue()
            }
        }
        guard let legID, let direction, let revision, let status, let pickupWindow, let needs, let triedPartnerIDs,
            let offerAttempts, let partnerSequences, let lateCancellation, let history
        else { throw Unreadable() }
        var leg = RideLeg(
            legID: legID, direction: direction, revision: revision, pickupWindow: pickupWindow, arriveBy: arriveBy,
            pickup: pickup, dropOff: dropOff, contactToken: contactToken, needs: needs, history: history)
        leg.status = status
        leg.triedPartnerIDs = triedPartnerIDs
        leg.currentPartnerID = currentPartnerID
        leg.partnerRideID = partnerRideID
        leg.offerAttempts = offerAttempts
        leg.offerExpiresAt = offerExpiresAt
        leg.partnerSequences = partnerSequences
        leg.etaAt = etaAt
        leg.cancelledBy = cancelledBy
        leg.lateCancellation = lateCancellation
        leg.reasonCode = reasonCode
        leg.attentionReason = attentionReason
        return leg
    }

    mutating func transition() throws(Unreadable) -> LegTransition {
        var from: RideStatus?
        var to: RideStatus?
        var reasonCode: String?
        var sourceEventID: String?
        var at: Int64?
        var partnerID: String?
        var partnerSequence: UInt64?
        try beginObject()
        var first = true
        while let key = try nextKey(first: &first) {
            switch key {
            case "from": from = try null() ? nil : try value(RideStatus.self)
            case "to": to = try value(RideStatus.self)
            case "reasonCode": reasonCode = try string()
            case "sourceEventID": sourceEventID = try string()
            case "at": at = try int64()
            case "partnerID": partnerID = try null() ? nil : try string()
            case "partnerSequence": partnerSequence = try null() ? nil : try uint64()
            default: try skipValue()
            }
        }
        guard let to, let reasonCode, let sourceEventID, let at else { throw Unreadable() }
        return LegTransition(
            from: from, to: to, reasonCode: reasonCode, sourceEventID: sourceEventID, at: at, partnerID: partnerID,
            partnerSequence: partnerSequence)
    }
}
