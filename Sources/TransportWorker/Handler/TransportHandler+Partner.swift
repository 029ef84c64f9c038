import TransitRuntime
import TransitStore
import TransitWire
import TransportBooking

extension TransportHandler {
    /// A partner's `PartnerRideUpdate`: checked against the topic it came from, then applied to
    /// its booking. Duplicates and stale updates change nothing; an unknown booking or leg is
    /// dead-lettered (`UNKNOWN_REFERENCE`), any other refusal too (`INVALID`).
    func handlePartnerUpdate(
        _ update: PartnerRideUpdate, partnerID: String, inputID: String, transaction: any StoreTransaction,
        context: inout HandlerContext
    ) throws {
        guard update.partnerId == partnerID else {
            throw HandlerFailure.invalid(
                "partner_id does not match the partner of topic \(topics.partnerUpdates(partnerID))")
        }
        let command = BookingCommand.partnerUpdate(try update.domain(inputID: inputID))
        let state = BookingState(transaction: transaction, locking: patientLocks)
        let booking = try state.booking(id: update.bookingId)
        var writes = PendingWrites()
        writes.decisions.append(try decided(command, booking: booking, now: context.now))
        try commit(writes, state: state, context: &context)
    }
}
