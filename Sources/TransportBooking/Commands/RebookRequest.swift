/// `RebookRide`: a coordinator offers a leg that needs attention to a partner they name.
public struct RebookRequest: Sendable, Hashable {
    /// Id of the input (RPC method and idempotency key).
    public var eventID: String
    /// Must equal the booking's patient; otherwise the booking is "not found".
    public var patientRef: String
    public var legID: String
    /// A partner of the partner file.
    public var partnerID: String
    /// A new pickup window for the leg (e.g. the next day's return after an overnight stay); nil =
    /// the leg's own.
    public var pickupWindow: TimeWindow?

    public init(eventID: String, patientRef: String, legID: String, partnerID: String, pickupWindow: TimeWindow? = nil) {
        self.eventID = eventID
        self.patientRef = patientRef
        self.legID = legID
        self.partnerID = partnerID
        self.pickupWindow = pickupWindow
    }
}
