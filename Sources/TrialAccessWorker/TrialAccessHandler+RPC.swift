import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import TrialAccess

extension TrialAccessHandler {
    /// The domain event id of an RPC call (``HandlerContext/rpcInputID(_:)``):
    /// `rpc:<Method>:<idempotency-key>`, else `rpc:<correlation-id>`.
    static func rpcCommandEventID(_ message: KafkaConsumerMessage) -> String {
        HandlerContext.rpcInputID(message)
    }

    /// The `TrialAccess` methods for one request record. State-changing methods are idempotent
    /// (answers kept under the idempotency key); a domain refusal is answered with its status
    /// (FAILED_PRECONDITION, NOT_FOUND, INVALID_ARGUMENT, ALREADY_EXISTS) and changes nothing.
    func rpcRouter(commandEventID: String) -> RPCRouter<RPCCall> {
        var router = RPCRouter<RPCCall>()
        router.register(TrialAccessService.requestTrialAccess, idempotent: true) { request, _, call in
            let command = try Self.rpcCommand { () throws(WireMappingError) in
                try request.command(eventID: commandEventID)
            }
            var response = RequestTrialAccessResponse()
            response.enrollment = try execute(command, call: call).wire
            return response
        }
        router.register(TrialAccessService.getEnrollment) { request, _, call in
            guard !request.patientRef.isEmpty else { throw RPCError.invalidArgument("patient_ref is empty") }
            let stored = try StoreRepository(transaction: call.transaction, locking: false)
                .stored(patientRef: request.patientRef).enrollments
            let enrollment = try Self.answer(EnrollmentQueries.enrollment(in: stored, trialID: request.trialId.givenOrNil))
            var response = GetEnrollmentResponse()
            response.enrollment = enrollment.wire
            response.patientSummary = try catalogs.current(in: call.transaction).trial(id: enrollment.trialID)?
                .patientSummary(for: enrollment, language: request.language.givenOrNil)?.wire
            return response
        }
        router.register(TrialAccessService.recordConsent, idempotent: true) { request, _, call in
            let command = try Self.rpcCommand { () throws(WireMappingError) in
                try request.command(eventID: commandEventID)
            }
            var response = RecordConsentResponse()
            response.enrollment = try execute(command, call: call).wire
            return response
        }
        router.register(TrialAccessService.withdrawPatient, idempotent: true) { request, _, call in
            let command = request.command(eventID: commandEventID, now: call.now)
            var response = WithdrawPatientResponse()
            response.enrollment = try execute(command, call: call).wire
            return response
        }
        return router
    }

    /// Decides and saves a call's command; its events go out with the reply (only on OK).
    /// Returns the enrollment the reply carries.
    private func execute(
        _ command: TrialAccessCommand, call: RPCCall
    ) throws -> TrialAccess.Enrollment {
        let session = try session(call.transaction, now: call.now)
        let outcome = try Self.answer(try session.decide(command))
        try session.save(outcome)
        TrialAccessMetrics.decided(outcome)
        for message in outcome.messages(topics: call.topics, source: name) {
            call.emit(topic: message.topic, key: message.key, value: message.value)
        }
        logger.debug(
            "call handled",
            metadata: [
                "event_id": "\(command.eventID)", "input": "\(command.body.name)",
                "outputs": "\(outcome.outputs.count)",
                "ignored": "\(outcome.ignoredReason ?? "-")",
            ])
        if let reply = outcome.reply { return reply }
        let stored = try StoreRepository(transaction: call.transaction, locking: false)
            .stored(patientRef: command.patientRef).enrollments
        return try Self.answer(EnrollmentQueries.enrollment(in: stored, trialID: nil))
    }

    /// The success value, or the refusal as the RPC status it maps to.
    private static func answer<Value>(_ result: Result<Value, TrialAccessRejection>) throws(RPCError) -> Value {
        switch result {
        case .success(let value): return value
        case .failure(let rejection):
            throw RPCError(RPCStatusCode(rawValue: Int32(rejection.code.grpcStatus)), rejection.message)
        }
    }

    private static func rpcCommand(
        _ body: () throws(WireMappingError) -> TrialAccessCommand
    ) throws(RPCError) -> TrialAccessCommand {
        do throws(WireMappingError) {
            return try body()
        } catch {
            throw .invalidArgument(error.description)
        }
    }
}
