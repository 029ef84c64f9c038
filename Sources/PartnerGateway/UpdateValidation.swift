import TransitWire

/// Why an update posted by a partner is refused: HTTP status, stable code, the field when one
/// applies and a short message. Sent back as `{"code", "field", "message"}`; never published.
public struct UpdateRefusal: Error, Sendable, Equatable {
    public var status: Int
    public var code: String
    public var field: String?
    public var message: String

    public init(status: Int, code: String, field: String? = nil, message: String) {
        self.status = status
        self.code = code
        self.field = field
        self.message = message
    }

    /// The answer body.
    public var json: String {
        var members: [(String, String)] = [("code", JSONText.quoted(code))]
        if let field { members.append(("field", JSONText.quoted(field))) }
        members.append(("message", JSONText.quoted(message)))
        return JSONText.object(members)
    }
}

/// The checks an update passes before the gateway publishes it to the partner's updates topic:
/// the shape a Kafka partner's update must have (docs/PARTNERS.md §3–4). Sequence and status order
/// are the transport worker's, as for Kafka partners: a stale sequence is accepted here and ignored
/// there, so that resending is always safe.
public enum UpdateValidation {
    /// Statuses a partner may send.
    public static let partnerStatuses: Set<RideStatus> = [
        .accepted, .rejected, .noDriversAvailable, .driverAssigned, .arriving, .pickedUp, .completed, .noShow, .cancelled,
    ]

    /// Parses and checks the body posted for `partnerID`.
    public static func update(partnerID: String, body: [UInt8]) throws(UpdateRefusal) -> PartnerRideUpdate {
        let update: PartnerRideUpdate
        do { update = try PartnerRideUpdate(jsonUTF8: body) } catch {
            throw UpdateRefusal(
                status: 400, code: "INVALID_JSON", message: "body is not a PartnerRideUpdate in proto3 JSON: \(error.message)")
        }
        func missing(_ field: String) -> UpdateRefusal {
            UpdateRefusal(status: 422, code: "MISSING_FIELD", field: field, message: "\(field) is required")
        }
        guard !update.eventId.isEmpty else { throw missing("eventId") }
        guard update.occurredAt > 0 else { throw missing("occurredAt") }
        guard update.partnerId == partnerID else {
            throw UpdateRefusal(
                status: 422, code: "PARTNER_MISMATCH", field: "partnerId", message: "partnerId must be the partner of the URL")
        }
        guard !update.bookingId.isEmpty else { throw missing("bookingId") }
        guard !update.legId.isEmpty else { throw missing("legId") }
        guard update.sequence >= 1 else {
            throw UpdateRefusal(status: 422, code: "INVALID_SEQUENCE", field: "sequence", message: "sequence starts at 1 per leg")
        }
        guard partnerStatuses.contains(update.status) else {
            throw UpdateRefusal(
                status: 422, code: "STATUS_NOT_ALLOWED", field: "status", message: "a partner may not send status \(update.status)")
        }
        return update
    }
}
