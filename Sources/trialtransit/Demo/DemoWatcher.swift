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
        /// Completed rides per patient ref, e.g. "to the urgent visit with taxi-madrid".
        var rides: [String: [String]] = [:]
        /// What each visit is called in the output ("screening visit", "urgent visit"), by visit id.
        var visits: [String: String] = [:]
        /// Visit id of each booking.
        var bookings: [String: String] = [:]
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
        case .visitPlanned(let plan):
            let visit = plan.visit ?? Visit()
            let name = remember(visit, urgent: false)
            let hours = Double(visit.scheduledAt - event.occurredAt) / 3_600_000
            print("  \(who) \(name) planned at \(visit.siteId), \(Self.hours(hours)) from now")
        case .travelNeeded(let need):
            let name = remember(need.visit ?? Visit(), urgent: need.urgent)
            print("  \(who) travel needed for the \(name)\(need.urgent ? ": rides with the earliest pickup" : "")")
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
        case .rideRequested(let requested):
            let booking = requested.booking ?? Booking()
            let name = state.withLock { state in
                state.bookings[booking.bookingId] = booking.visitId
                return state.visits[booking.visitId] ?? "visit"
            }
            for leg in booking.legs {
                let window = leg.pickupWindow ?? TimeWindow()
                print(
                    "  \(who) ride \(leg.legId) to the \(name) requested: pickup \(Self.clock(window.startAt, day: true))–"
                        + "\(Self.clock(window.endAt)), arrive by \(Self.clock(leg.arriveByAt)) UTC")
            }
        case .rideOffered(let offer):
            print("  \(who) ride \(offer.legId) offered to \(offer.partnerId)")
        case .rideStatusChanged(let change):
            let status = Self.name(change.status.name, prefix: "RIDE_STATUS_")
            print("  \(who) ride \(change.legId) with \(change.partnerId): \(status)")
            if change.status == .completed {
                state.withLock { state in
                    let name = state.bookings[change.bookingId].flatMap { state.visits[$0] } ?? "visit"
                    state.rides[event.patientRef, default: []].append("\(name) (\(change.partnerId))")
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

    /// Waits until `refs` have `count` completed rides between them; false on timeout.
    @discardableResult
    func waitForCompletedRides(
        _ count: Int, of refs: [String], until deadline: ContinuousClock.Instant
    ) async throws -> Bool {
        while ContinuousClock().now < deadline {
            if state.withLock({ state in refs.reduce(0) { $0 + (state.rides[$1]?.count ?? 0) } >= count }) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    func summary(_ patients: [DemoScenario.Patient]) -> String {
        state.withLock { state in
            var lines = ["Summary"]
            for patient in patients {
                let decision = state.decisions[patient.ref] ?? "no decision"
                let rides = state.rides[patient.ref].map { "; rides completed: \($0.joined(separator: ", "))" } ?? ""
                lines.append("  \(patient.label): \(decision)\(rides)")
            }
            let completed = state.rides.values.reduce(0) { $0 + $1.count }
            lines.append("  \(state.decisions.count) decisions, \(completed) rides completed")
            return lines.joined(separator: "\n")
        }
    }

    /// Records and returns what a visit is called: its code, e.g. "screening visit", "urgent unscheduled visit".
    private func remember(_ visit: Visit, urgent: Bool) -> String {
        state.withLock { state in
            let name = (urgent ? "urgent " : "") + "\(visit.visitCode.lowercased()) visit"
            state.visits[visit.visitId] = name
            return name
        }
    }

    /// "2 h", "72 h", "1.5 h".
    private static func hours(_ hours: Double) -> String {
        let rounded = (hours * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded)) h" : "\(rounded) h"
    }

    /// A unix-ms instant in UTC as "14:05", or "Mon 14:05" with `day` (the demo's times are real times).
    private static func clock(_ milliseconds: Int64, day: Bool = false) -> String {
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][Int(parts.tm_wday)]
        let hour = parts.tm_hour < 10 ? "0\(parts.tm_hour)" : "\(parts.tm_hour)"
        let minute = parts.tm_min < 10 ? "0\(parts.tm_min)" : "\(parts.tm_min)"
        return (day ? "\(weekday) " : "") + "\(hour):\(minute)"
    }

    private static func name(_ name: String?, prefix: String) -> String {
        guard let name else { return "unknown" }
        return name.replacingOccurrences(of: prefix, with: "").lowercased().replacingOccurrences(of: "_", with: " ")
    }
}
