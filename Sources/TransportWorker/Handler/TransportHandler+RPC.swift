import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import TransportBooking

extension TransportHandler {
    /// The `TransportBooking` service for one request record. `inputID`
    /// (``HandlerContext/rpcInputID(_:)``: method and idempotency key, else the correlation id) is
    /// the command's event id, from which output ids derive.
    func router(inputID: String) -> RPCRouter<RPCCall> {
        var router = RPCRouter<RPCCall>()
        router.register(TransportBookingService.bookRide, idempotent: true) { request, _, call in
            try bookRide(request, inputID: inputID, call: call)
        }
        router.register(TransportBookingService.cancelRide, idempotent: true) { request, _, call in
            try cancelRide(request, inputID: inputID, call: call)
        }
        router.register(TransportBookingService.rebookRide, idempotent: true) { request, _, call in
            try rebookRide(request, inputID: inputID, call: call)
        }
        router.register(TransportBookingService.getBooking) { request, _, call in
            try getBooking(request, call: call)
        }
        return router
    }

    /// `BookRide`: books the visit directly, once trial access released it for transport
    /// (``releasedVisit(patientRef:visitID:trialID:state:)``: NOT_FOUND, FAILED_PRECONDITION).
    /// Drop-off, visit time and referral needs come from that `TravelNeeded` when the request
    /// leaves them out.
    func bookRide(_ request: BookRideRequest, inputID: String, call: RPCCall) throws
        -> BookRideResponse
    {
        guard !request.patientRef.isEmpty else { throw RPCError.invalidArgument("patient_ref is empty") }
        guard !request.visitId.isEmpty else { throw RPCError.invalidArgument("visit_id is empty") }
        guard let pickup = request.pickup?.domain else { throw RPCError.invalidArgument("pickup is required") }
        let state = BookingState(transaction: call.transaction, locking: patientLocks)
        try refuseBookingAfterErasure(patientRef: request.patientRef, inputID: inputID, state: state, call: call)
        let need = try releasedVisit(
            patientRef: request.patientRef, visitID: request.visitId, trialID: request.trialId, state: state)
        let (travel, booking) = try assigningBookingID(
            TravelRequest(
                eventID: inputID, origin: .bookRide, patientRef: request.patientRef, trialID: need.trialID,
                visitID: request.visitId, appointmentAt: need.appointmentAt,
                visitDurationMinutes: need.visitDurationMinutes, pickupWindow: request.pickupWindow?.domain,
                pickup: pickup, dropOff: request.dropOff?.domain ?? need.destination, returnTrip: request.returnTrip,
                needs: RideNeeds(
                    mobility: request.mobility.domain ?? need.mobility ?? .ambulatory, companions: request.companions,
                    language: request.language.isEmpty ? need.language : request.language),
                contactToken: request.contactToken,
                preferredPartnerID: request.preferredPartnerId.isEmpty ? nil : request.preferredPartnerId),
            state: state)
        let decision = try decidedForRPC(.requestTravel(travel), booking: booking, now: call.now)
        try write(decision, state: state, call: call)
        var response = BookRideResponse()
        response.booking = Wire.Booking(decision.booking.snapshot)
        return response
    }

    /// `CancelRide`: one leg, or every open leg of the booking.
    func cancelRide(_ request: CancelRideRequest, inputID: String, call: RPCCall) throws
        -> CancelRideResponse
    {
        guard !request.patientRef.isEmpty else { throw RPCError.invalidArgument("patient_ref is empty") }
        guard !request.bookingId.isEmpty else { throw RPCError.invalidArgument("booking_id is empty") }
        let state = BookingState(transaction: call.transaction, locking: patientLocks)
        let booking = try state.booking(id: request.bookingId)
        let cancel = CancelRequest.cancelRide(
            eventID: inputID, patientRef: request.patientRef, legID: request.legId,
            actor: request.cancelledBy.domain, reasonCode: request.reasonCode)
        let decision = try decidedForRPC(.cancel(cancel), booking: booking, now: call.now)
        try write(decision, state: state, call: call)
        var response = CancelRideResponse()
        response.booking = Wire.Booking(decision.booking.snapshot)
        return response
    }

    /// `RebookRide`: a coordinator offers a leg that needs attention to a named partner.
    func rebookRide(_ request: RebookRideRequest, inputID: String, call: RPCCall) throws -> RebookRideResponse {
        guard !request.patientRef.isEmpty else { throw RPCError.invalidArgument("patient_ref is empty") }
        guard !request.bookingId.isEmpty else { throw RPCError.invalidArgument("booking_id is empty") }
        guard !request.legId.isEmpty else { throw RPCError.invalidArgument("leg_id is empty") }
        guard !request.partnerId.isEmpty else { throw RPCError.invalidArgument("partner_id is empty") }
        let state = BookingState(transaction: call.transaction, locking: patientLocks)
        let booking = try state.booking(id: request.bookingId)
        let rebook = RebookRequest(
            eventID: inputID, patientRef: request.patientRef, legID: request.legId, partnerID: request.partnerId,
            pickupWindow: request.pickupWindow?.domain)
        let decision = try decidedForRPC(.rebook(rebook), booking: booking, now: call.now)
        try write(decision, state: state, call: call)
        var response = RebookRideResponse()
        response.booking = Wire.Booking(decision.booking.snapshot)
        return response
    }

    /// `GetBooking`: by booking id, or by visit.
    func getBooking(_ request: GetBookingRequest, call: RPCCall) throws -> GetBookingResponse {
        guard !request.patientRef.isEmpty else { throw RPCError.invalidArgument("patient_ref is empty") }
        let state = BookingState(transaction: call.transaction, locking: false)
        let booking: Domain.Booking?
        if !request.bookingId.isEmpty {
            booking = try state.booking(id: request.bookingId)
        } else if !request.visitId.isEmpty {
            booking = try state.visitBooking(patientRef: request.patientRef, visitID: request.visitId, ids: bookingIDs).booking
        } else {
            throw RPCError.invalidArgument("booking_id or visit_id is required")
        }
        switch BookingQueries.getBooking(booking, patientRef: request.patientRef) {
        case .success(let snapshot):
            var response = GetBookingResponse()
            response.booking = Wire.Booking(snapshot)
            return response
        case .failure(let rejection):
            throw rejection.rpcError
        }
    }

    private func decidedForRPC(_ command: BookingCommand, booking: Domain.Booking?, now: Int64) throws(RPCError)
        -> BookingDecision
    {
        switch decide(command, booking: booking, now: now) {
        case .success(let decision): return decision
        case .failure(let rejection): throw rejection.rpcError
        }
    }

    /// Writes the decision; its messages go out with the reply (only on OK, which follows).
    private func write(_ decision: BookingDecision, state: BookingState, call: RPCCall) throws {
        for output in try BookingWriter(handler: self, state: state).write(decision) {
            call.emit(topic: output.topic, key: output.key, value: output.value)
        }
    }
}

extension BookingRejection {
    /// The RPC error of a refusal: `code.grpcStatus` and the message (ids and codes only).
    var rpcError: RPCError { RPCError(RPCStatusCode(rawValue: Int32(code.grpcStatus)), message) }
}
