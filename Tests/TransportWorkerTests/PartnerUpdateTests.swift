import TransitKafka
import TransitRPC
import TransitTestSupport
import TransitWire
import TransportWorker
import Testing

@Suite("Transport worker: partner updates", .timeLimit(.minutes(3)))
struct PartnerUpdateTests {
    /// Crafted updates, duplicated and out of order: only forward moves are applied, once.
    @Test func duplicatedAndReorderedUpdatesNeverMoveALegBackwards() async throws {
        try await TransportHarness.with("ordering", partners: [TransportTestSupport.partnerJSON(id: "metro-taxi")]) {
            harness, collector in
            let patient = TransportTestSupport.unique("p")
            try await harness.releaseForTransport(patient: patient, visitID: "v-1", collector)
            let reply = try await harness.client().call(
                TransportBookingService.bookRide, TransportTestSupport.bookRideRequest(patient: patient, visitID: "v-1"),
                key: patient, deadline: .seconds(90))
            let bookingID = try #require(reply.booking?.bookingId)
            func update(_ status: RideStatus, _ sequence: UInt64, id: String? = nil) -> PartnerRideUpdate {
                TransportTestSupport.update(
                    partner: "metro-taxi", booking: bookingID, status: status, sequence: sequence, eventID: id)
            }
            let accepted = update(.accepted, 1, id: "u-accepted")
            try await harness.publish(
                [
                    accepted,
                    update(.pickedUp, 4),
                    update(.arriving, 3),  // late: older than PICKED_UP
                    update(.driverAssigned, 2),  // later still
                    update(.pickedUp, 4),  // same sequence, new event id: a duplicate by sequence
                    update(.arriving, 5),  // newer number, older status: stale, never backwards
                    accepted,  // the very same record again: a duplicate by event id
                ], on: "metro-taxi")
            try await harness.publish([update(.completed, 6)], on: "metro-taxi")

            let events = try await harness.waitForEvents(collector) { events in
                events.contains { $0.statusChange?.status == .completed }
            }
            try await harness.settle(collector)
            #expect(events.compactMap(\.confirmed).count == 1)
            let moves = harness.events(collector).compactMap(\.statusChange).map { "\($0.previousStatus)>\($0.status)" }
            #expect(moves == ["RIDE_STATUS_ACCEPTED>RIDE_STATUS_PICKED_UP", "RIDE_STATUS_PICKED_UP>RIDE_STATUS_COMPLETED"])
            let booking = try await harness.getBooking(patient: patient, visit: "v-1")
            #expect(booking.legs.first?.status == .completed)
            #expect(booking.legs.first?.partnerSequence == 6)
            #expect((harness.worker?.stats.duplicates ?? 0) >= 1)
            #expect(harness.events(collector).compactMap(\.attention).isEmpty)
        }
    }

    /// Updates that can never apply go to the dead-letter topic with their reason: an unknown
    /// booking (UNKNOWN_REFERENCE), a partner id that is not the topic's (INVALID), bytes that are
    /// no PartnerRideUpdate (DECODE_FAILED).
    @Test func updatesThatCannotApplyAreDeadLettered() async throws {
        try await TransportHarness.with("dlq", partners: [TransportTestSupport.partnerJSON(id: "metro-taxi")]) {
            harness, collector in
            let unknown = TransportTestSupport.update(
                partner: "metro-taxi", booking: "bk-00000000000000000000000000000000", status: .accepted, sequence: 1)
            let impostor = TransportTestSupport.update(
                partner: "other-cabs", booking: "bk-00000000000000000000000000000001", status: .accepted, sequence: 1)
            try await harness.publish([unknown, impostor], on: "metro-taxi")
            try await TransportTestSupport.publish([(harness.topics.partnerUpdates("metro-taxi"), "bk-x", [0xFF, 0x01, 0x02])])

            let letters = try await collector.read { messages in
                messages.filter { $0.topic == harness.topics.deadLetters }.count >= 3
            }.filter { $0.topic == harness.topics.deadLetters }
            // Keys differ, so partitions (and the order between them) may too.
            var codes: [String: String] = [:]
            for letter in letters { codes[letter.keyString ?? ""] = letter.headers.string(TransitHeaders.dlqErrorCode) }
            #expect(codes == [unknown.bookingId: "UNKNOWN_REFERENCE", impostor.bookingId: "INVALID", "bk-x": "DECODE_FAILED"])
            for letter in letters {
                #expect(letter.headers.string(TransitHeaders.dlqSourceTopic) == harness.topics.partnerUpdates("metro-taxi"))
                #expect(letter.headers.string(TransitHeaders.dlqConsumerGroup) == harness.group)
            }
            #expect(letters.first { $0.keyString == unknown.bookingId }.map { Array($0.value) } == unknown.wireBytes())
            #expect(harness.events(collector).isEmpty)

            // The partner learns of each on its feedback topic, keyed by booking id, with the same code.
            try await harness.settle(collector)
            let feedback = try await readWholeTopic(harness.topics.partnerFeedback("metro-taxi"))
            // Readers dedupe on the feedback's event id (the input's coordinates): an undecodable
            // record has no event id for the inbox, so one read again after a rebalance is
            // dead-lettered, and fed back, again under the same feedback id.
            var rejections: [String: String] = [:]
            var ids = Set<String>()
            for record in feedback {
                let decoded = try InputFeedback(wireBytes: record.value)
                guard case .inputRejected(let rejected)? = decoded.body else { continue }
                #expect(rejected.topic == harness.topics.partnerUpdates("metro-taxi"))
                ids.insert(decoded.eventId)
                rejections[record.keyString ?? ""] = rejected.reasonCode
            }
            #expect(ids.count == 3, "\(ids)")
            #expect(rejections == codes)
        }
    }
}
