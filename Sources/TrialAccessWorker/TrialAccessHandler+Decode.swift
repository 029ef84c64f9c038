import TransitKafka
import TransitRPC
import TransitRuntime
import TransitWire

import struct TrialAccess.ConfirmedRide
import struct TrialAccess.TrialAccessCommand

extension TrialAccessHandler {
    /// Decodes a record by its topic. Dead-letter codes: `DECODE_FAILED` (not the topic's message),
    /// `NO_BODY` (envelope without a body), `UNKNOWN_BODY` (a body this reader does not know),
    /// `INVALID` (no event id; a catalogue record without key or with another trial id), and the
    /// RPC codes of ``RPCRequest`` (`NO_REPLY_TO`, …).
    public func decode(_ message: KafkaConsumerMessage) throws(HandlerFailure) -> DecodedRecord<TrialAccessInput> {
        switch message.topic {
        case topics.enrollmentEvents:
            let event: EnrollmentEvent
            do { event = try EnrollmentEvent(wireBytes: message.value) } catch {
                throw .decodeFailed("value is not a trialtransit.v1.EnrollmentEvent: \(error.code)")
            }
            try Self.checkEnvelope(
                eventID: event.eventId, hasBody: event.body != nil, reencoded: event.wireBytes(), message)
            return DecodedRecord(eventID: event.eventId, input: .enrollment(event))
        case topics.travelRequests:
            let event: TravelEvent
            do { event = try TravelEvent(wireBytes: message.value) } catch {
                throw .decodeFailed("value is not a trialtransit.v1.TravelEvent: \(error.code)")
            }
            try Self.checkEnvelope(
                eventID: event.eventId, hasBody: event.body != nil, reencoded: event.wireBytes(), message)
            return DecodedRecord(eventID: event.eventId, input: .travel(event))
        case topics.trialCatalog:
            return try Self.decodeCatalog(message)
        case topics.bookingEvents:
            return try Self.decodeBookingEvent(message)
        case topics.rpcRequests(service: TrialAccessService.name):
            do {
                _ = try RPCRequest(message: message)
            } catch {
                throw HandlerFailure(code: error.code, reason: error.message)
            }
            guard let eventID = HandlerContext.rpcEventID(message) else {
                throw HandlerFailure(code: "NO_REPLY_TO", reason: "request has no correlation-id")
            }
            return DecodedRecord(eventID: eventID, input: .rpc)
        default:
            throw HandlerFailure(
                code: "UNKNOWN_TOPIC", reason: "the trial-access worker does not read \(message.topic)")
        }
    }

    /// A `transport.booking.events.v1` record: a `RideNeedsAttention` with a transport reason
    /// becomes a visit-at-risk report, a `RideConfirmed` a confirmation that may clear one; every
    /// other event is skipped. The transport worker wrote it,
    /// so an unreadable record is a dead letter like any other (`DECODE_FAILED`, `INVALID`).
    private static func decodeBookingEvent(
        _ message: KafkaConsumerMessage
    ) throws(HandlerFailure) -> DecodedRecord<TrialAccessInput> {
        let event: BookingEvent
        do { event = try BookingEvent(wireBytes: message.value) } catch {
            throw .decodeFailed("value is not a trialtransit.v1.BookingEvent: \(error.code)")
        }
        guard !event.eventId.isEmpty else { throw .invalid("event_id is empty", field: "event_id") }
        let body: TrialAccessCommand.Body? =
            switch event.body {
            case .rideNeedsAttention(let attention): attention.transportRiskReport.map { .rideNeedsAttention($0) }
            case .rideConfirmed(let confirmed):
                .rideConfirmed(ConfirmedRide(bookingID: confirmed.bookingId, legID: confirmed.legId))
            default: nil
            }
        guard let body else { return DecodedRecord(eventID: event.eventId, input: .notForThisWorker) }
        guard !event.patientRef.isEmpty else { throw .invalid("patient_ref is empty", field: "patient_ref") }
        return DecodedRecord(
            eventID: event.eventId, input: .bookingEvent(patientRef: event.patientRef, occurredAt: event.occurredAt, body))
    }

    /// An envelope needs an event id and a body. Without a body, bytes the decoder dropped (the
    /// re-encoding is shorter) mean a body added in a later v1 release: `UNKNOWN_BODY`, redrivable
    /// after an upgrade; otherwise `NO_BODY`. `reencoded` is evaluated only for an envelope without a body.
    private static func checkEnvelope(
        eventID: String, hasBody: Bool, reencoded: @autoclosure () -> [UInt8], _ message: KafkaConsumerMessage
    ) throws(HandlerFailure) {
        guard !eventID.isEmpty else { throw .invalid("event_id is empty", field: "event_id") }
        guard hasBody else {
            if reencoded().count < message.value.count {
                throw HandlerFailure(
                    code: "UNKNOWN_BODY", reason: "envelope body is of a kind this worker does not know")
            }
            throw HandlerFailure(code: "NO_BODY", reason: "envelope has no body")
        }
    }

    /// A catalogue record: key = trial id; an empty value is a tombstone. Its dedupe key is its
    /// position (`catalog@<partition>:<offset>`): the record has no event id, and a definition may
    /// legitimately come again with the same `updated_at`.
    private static func decodeCatalog(
        _ message: KafkaConsumerMessage
    ) throws(HandlerFailure) -> DecodedRecord<TrialAccessInput> {
        guard let trialID = message.keyString, !trialID.isEmpty else { throw .invalid("catalogue record has no key") }
        let eventID = "catalog@\(message.partition):\(message.offset)"
        guard !message.value.isEmpty else {
            return DecodedRecord(eventID: eventID, input: .catalog(CatalogRecord(trialID: trialID, definition: nil)))
        }
        let definition: TrialDefinition
        do { definition = try TrialDefinition(wireBytes: message.value) } catch {
            throw .decodeFailed("value is not a trialtransit.v1.TrialDefinition: \(error.code)")
        }
        guard definition.trialId == trialID else { throw .invalid("trial_id differs from the record key", field: "trial_id") }
        return DecodedRecord(eventID: eventID, input: .catalog(CatalogRecord(trialID: trialID, definition: definition)))
    }
}
