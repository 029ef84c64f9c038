import Logging
import Synchronization
import TransitKafka
import TransitRPC
import TransitWire

#if canImport(Glibc)
import Glibc
#endif

/// Reads the workers' output topics from the start and prints each decision and ride step as it
/// happens, labelled P1…Pn (the demo prints no patient data).
final class DemoWatcher: Sendable {
    private let topics: TransitTopics
    private let labels: [String: String]
    private let state = Mutex(State())
    private let ready = SubscriptionGate()

    struct State {
        var decisions: [String: String] = [:]
        var completedRides = 0
        var rides: [String: String] = [:]
        /// Event ids already shown: consumers deduplicate by event id (a message may be published twice).
        var seen: Set<String> = []
    }

    init(topics: TransitTopics, patients: [DemoScenario.Patient]) {
        self.topics = topics
        var labels: [String: String] = [:]
        for patient in patients { labels[patient.ref] = patient.label }
        self.labels = labels
    }

    func waitUntilReady() async {
        await ready.wait()
    }

    func run(client: KafkaClientConfiguration, logger: Logger) async throws {
        let consumer = try KafkaConsumer(configuration: KafkaConsumerConfiguration(client: client, fetchWaitMax: .milliseconds(10)), logger: logger)
        var start: [KafkaTopicPartitionOffset] = []
        for topic in [topics.trialAccessEvents, topics.bookingEvents] {
            for partition in try await consumer.metadata(topic: topic).first?.partitions ?? [] {
                start.append(KafkaTopicPartitionOffset(topic: topic, partition: partition.id, offset: KafkaOffset.beginning))
            }
        }
        try consumer.assign(start)
        ready.open()
        while !Task.isCancelled {
            for message in try await consumer.poll(timeout: .milliseconds(100)) {
                if message.topic == topics.trialAccessEvents, let event = try? TrialAccessEvent(wireBytes: message.value) {
                    if firstTime(event.eventId) { show(event) }
                } else if let event = try? BookingEvent(wireBytes: message.value) {
                    if firstTime(event.eventId) { show(event) }
                }
            }
        }
        try? await consumer.close()
    }

    private func label(_ ref: String) -> String { labels[ref] ?? "?" }

    private func firstTime(_ eventID: String) -> Bool {
        state.withLock { $0.seen.insert(eventID).inserted }
    }

    private func show(_ event: TrialAccessEvent) {
        let who = label(event.patientRef)
        switch event.body {
        case .enrollmentStatusChanged(let change):
            let state = Self.name(change.state.name, prefix: "ENROLLMENT_STATE_")
            let from = Self.name(change.previousState.name, prefix: "ENROLLMENT_STATE_")
            var line = "  \(who) trial access: \(from) → \(state)"
            if !change.siteId.isEmpty { line += " at site \(change.siteId)" }
            if !change.reasonCodes.isEmpty { line += " (\(change.reasonCodes.joined(separator: ", ")))" }
            print(line)
            if ["eligible", "ineligible", "waitlisted", "needs review"].contains(state) {
                self.state.withLock { $0.decisions[event.patientRef] = state + (change.siteId.isEmpty ? "" : " at \(change.siteId)") }
            }
        case .travelNeeded:
            print("  \(who) travel needed for the screening visit")
        case .slotReserved(let slot):
            print("  \(who) screening slot reserved at \(slot.siteId)")
        default:
            break
        }
        fflush(nil)
    }

    private func show(_ event: BookingEvent) {
        let who = label(event.patientRef)
        switch event.body {
        case .rideOffered(let offer):
            print("  \(who) ride \(offer.legId) offered to \(offer.partnerId)")
        case .rideStatusChanged(let change):
            let status = Self.name(change.status.name, prefix: "RIDE_STATUS_")
            print("  \(who) ride \(change.legId) with \(change.partnerId): \(status)")
            if change.status == .completed {
                state.withLock {
                    $0.completedRides += 1
                    $0.rides[event.patientRef] = "completed with \(change.partnerId)"
                }
            }
        case .rideNeedsAttention(let attention):
            print("  \(who) ride \(attention.legId) needs attention: \(Self.name(attention.reason.name, prefix: "ATTENTION_REASON_"))")
        default:
            break
        }
        fflush(nil)
    }

    /// Waits until every one of `refs` has a decision; false on timeout.
    @discardableResult
    func waitForDecisions(_ refs: [String], until deadline: ContinuousClock.Instant) async throws -> Bool {
        while ContinuousClock().now < deadline {
            if state.withLock({ state in refs.allSatisfy { state.decisions[$0] != nil } }) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    func waitForCompletedRides(_ count: Int, until deadline: ContinuousClock.Instant) async throws -> Bool {
        while ContinuousClock().now < deadline {
            if state.withLock({ $0.completedRides >= count }) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    func summary(_ patients: [DemoScenario.Patient]) -> String {
        state.withLock { state in
            var lines = ["Summary"]
            for patient in patients {
                let decision = state.decisions[patient.ref] ?? "no decision"
                let ride = state.rides[patient.ref].map { ", ride \($0)" } ?? ""
                lines.append("  \(patient.label): \(decision)\(ride)")
            }
            lines.append("  \(state.decisions.count) decisions, \(state.completedRides) rides completed")
            return lines.joined(separator: "\n")
        }
    }

    private static func name(_ name: String?, prefix: String) -> String {
        guard let name else { return "unknown" }
        return name.replacingOccurrences(of: prefix, with: "").lowercased().replacingOccurrences(of: "_", with: " ")
    }
}
