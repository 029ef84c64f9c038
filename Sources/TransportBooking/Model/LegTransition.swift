/// One entry of a leg's history. Pseudonymous: it survives erasure.
public struct LegTransition: Codable, Sendable, Hashable {
    /// Status before; nil when the leg was created.
    public var from: RideStatus?
    /// Status after.
    public var to: RideStatus
    /// Machine code for why (e.g. `PARTNER:NO_DRIVER`, `VISIT_RESCHEDULED`, `OFFER_TIMED_OUT`).
    public var reasonCode: String
    /// Event id of the command that caused it (the input event, RPC idempotency key or timer id).
    public var sourceEventID: String
    /// When it was decided, unix ms.
    public var at: Int64
    /// Partner involved, if any.
    public var partnerID: String?
    /// Partner update sequence that caused it, if any.
    public var partnerSequence: UInt64?

    public init(
        from: RideStatus?, to: RideStatus, reasonCode: String, sourceEventID: String, at: Int64,
        partnerID: String? = nil, partnerSequence: UInt64? = nil
    ) {
        self.from = from
        self.to = to
        self.reasonCode = reasonCode
        self.sourceEventID = sourceEventID
        self.at = at
        self.partnerID = partnerID
        self.partnerSequence = partnerSequence
    }
}
