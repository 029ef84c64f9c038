import Logging
import TransitKafka
import TransitRPC
import TransitSoak
import TransitWire

/// Reads the workers' output topics from the start to their high watermarks (no group, nothing
/// committed) and turns each record into a ``SoakOutput``.
struct SoakOutputReader {
    let client: KafkaClientConfiguration
    let topics: TransitTopics
    let logger: Logger

    func readAll() async throws -> [SoakOutput] {
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        let metadata = try await admin.listTopics()
        var outputs: [SoakOutput] = []
        for topic in [topics.trialAccessEvents, topics.bookingEvents, topics.deadLetters] {
            guard let partitions = metadata.first(where: { $0.name == topic })?.partitions else { continue }
            var ends: [Int32: Int64] = [:]
            for partition in partitions {
                let (low, high) = try await admin.watermarks(topic: topic, partition: partition.id)
                if high > low { ends[partition.id] = high }
            }
            outputs += try await read(topic, ends: ends)
        }
        return outputs
    }

    /// Sum of the output topics' high watermarks: grows while anything is still published.
    func published() async throws -> Int64 {
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        let metadata = try await admin.listTopics()
        var total: Int64 = 0
        for topic in [topics.trialAccessEvents, topics.bookingEvents] {
            for partition in metadata.first(where: { $0.name == topic })?.partitions ?? [] {
                total += try await admin.watermarks(topic: topic, partition: partition.id).high
            }
        }
        return total
    }

    private func read(_ topic: String, ends: [Int32: Int64]) async throws -> [SoakOutput] {
        guard !ends.isEmpty else { return [] }
        let consumer = try KafkaConsumer(configuration: KafkaConsumerConfiguration(client: client, fetchWaitMax: .milliseconds(50)), logger: logger)
        try consumer.assign(ends.keys.map { KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: 0) })
        var remaining = ends
        var outputs: [SoakOutput] = []
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(120)
        while !remaining.isEmpty {
            guard clock.now < deadline else {
                try? await consumer.close()
                throw SoakError("reading \(topic) timed out with partitions \(remaining.keys.sorted()) unread to their end")
            }
            for message in try await consumer.poll(maxMessages: 1_000, timeout: .milliseconds(200)) {
                guard let end = remaining[message.partition] else { continue }
                outputs.append(Self.output(message, topic: topic))
                if message.offset >= end - 1 { remaining[message.partition] = nil }
            }
        }
        try? await consumer.close()
        return outputs
    }

    static func output(_ message: KafkaConsumerMessage, topic: String) -> SoakOutput {
        let payload = Array(message.value)
        let key = message.key.map { String(decoding: $0, as: UTF8.self) } ?? ""
        var output = SoakOutput(
            topic: topic, partition: message.partition, offset: message.offset, key: key, eventID: "",
            occurredAt: 0, payload: payload, fact: .other("undecodable"))
        if topic.hasSuffix("trialtransit.dlq.v1") {
            // Identified by where the input was: a re-published copy of this dead letter has the same id.
            let source = ["dlq-source-topic", "dlq-source-partition", "dlq-source-offset"].map { name in
                message.headers.first { $0.name == name }?.stringValue ?? "?"
            }
            output.eventID = "dlq:" + source.joined(separator: "/")
            let sourceTopic = source[0]
            let input =
                sourceTopic.hasSuffix("enrollment.events.v1") ? (try? EnrollmentEvent(wireBytes: payload))?.eventId
                : sourceTopic.hasSuffix("travel.requests.v1") ? (try? TravelEvent(wireBytes: payload))?.eventId : nil
            output.fact = input.map { .deadLettered(inputEventID: $0) } ?? .other("DeadLetter")
        } else if topic.hasSuffix("trial.access.events.v1"), let event = try? TrialAccessEvent(wireBytes: payload) {
            output.eventID = event.eventId
            output.occurredAt = event.occurredAt
            output.fact = fact(event.body)
        } else if let event = try? BookingEvent(wireBytes: payload) {
            output.eventID = event.eventId
            output.occurredAt = event.occurredAt
            output.fact = fact(event.body)
        }
        return output
    }

    private static func fact(_ body: TrialAccessEvent.Body?) -> SoakFact {
        switch body {
        case .enrollmentStatusChanged(let change):
            .enrollmentStatus(trialID: change.trialId, previous: Int(change.previousState.rawValue), state: Int(change.state.rawValue))
        case .slotReserved(let slot): .slotReserved(trialID: slot.trialId, siteID: slot.siteId, slotID: slot.slotId)
        case .slotReleased(let slot): .slotReleased(trialID: slot.trialId, siteID: slot.siteId, slotID: slot.slotId)
        case .visitPlanned(let planned): .visitPlanned(visitID: planned.visit?.visitId ?? "")
        case .travelNeeded(let need): .travelNeeded(visitID: need.visit?.visitId ?? "")
        case .travelNoLongerNeeded(let over): .travelNoLongerNeeded(visitID: over.visitId, visitCancelled: over.reason.rawValue == 1)
        case .visitAtRisk: .other("VisitAtRisk")
        case .visitRiskCleared: .other("VisitRiskCleared")
        case nil: .other("no body")
        }
    }

    private static func fact(_ body: BookingEvent.Body?) -> SoakFact {
        switch body {
        case .rideRequested(let requested):
            .rideRequested(
                bookingID: requested.booking?.bookingId ?? "", visitID: requested.booking?.visitId ?? "",
                legIDs: requested.booking?.legs.map(\.legId) ?? [])
        case .rideOffered: .other("RideOffered")
        case .rideConfirmed(let confirmed): .rideConfirmed(bookingID: confirmed.bookingId, legID: confirmed.legId)
        case .rideStatusChanged(let change): .rideStatus(bookingID: change.bookingId, legID: change.legId, status: Int(change.status.rawValue))
        case .rideCancelled(let cancelled): .rideCancelled(bookingID: cancelled.bookingId, legID: cancelled.legId)
        case .rideNeedsAttention(let attention): .rideNeedsAttention(bookingID: attention.bookingId, legID: attention.legId)
        case nil: .other("no body")
        }
    }
}
