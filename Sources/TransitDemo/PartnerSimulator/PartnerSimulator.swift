import Logging
import Synchronization
import TransitKafka
import TransitRPC
import TransitWire
import TransitTime

/// A reference transport partner: reads `transport.partner.<id>.requests.v1` in its own consumer
/// group and answers on `transport.partner.<id>.updates.v1` (key = booking id) as
/// ``PartnerSimulatorOptions`` say: ACCEPTED (or REJECTED / NO_DRIVERS_AVAILABLE), then
/// DRIVER_ASSIGNED, ARRIVING, PICKED_UP and COMPLETED with increasing sequence numbers and ETAs,
/// optionally duplicating and reordering updates. A `RideCancellation` stops the ride.
///
/// Offers carry coarse areas only; the addresses and the contact token arrive in a
/// `RideConfirmation` after its ACCEPTED. It prints one line per action through `output`
/// (booking id, leg, status; never an address or a contact token) and keeps neither: it only
/// counts which rides it holds details for, until the ride ends or a cancellation says forget.
public final class PartnerSimulator: Sendable {
    public let options: PartnerSimulatorOptions
    private let client: KafkaClientConfiguration
    private let topics: TransitTopics
    private let logger: Logger
    private let output: @Sendable (String) -> Void
    private let state: Mutex<SimulatorState>
    private let stopping = Atomic<Bool>(false)
    private let readiness = SubscriptionGate()

    /// The topic offers and cancellations come from.
    public var requestsTopic: String { topics.partnerRequests(options.partnerID) }
    /// The topic updates go to.
    public var updatesTopic: String { topics.partnerUpdates(options.partnerID) }

    public init(
        options: PartnerSimulatorOptions, client: KafkaClientConfiguration, topics: TransitTopics = TransitTopics(),
        logger: Logger, output: @escaping @Sendable (String) -> Void = { print($0) }
    ) {
        self.options = options
        self.client = client
        self.topics = topics
        self.logger = logger
        self.output = output
        state = Mutex(
            SimulatorState(
                random: SeededRandom(seed: options.seed ?? UInt64.random(in: 0...UInt64.max)),
                rejectionsLeft: options.rejectFirst))
    }

    /// What it did so far.
    public var stats: PartnerSimulatorStats { state.withLock { $0.stats } }

    /// Rides it holds a confirmation's details for now (received, not yet over or forgotten).
    public var ridesWithDetails: Int { state.withLock { $0.withDetails.count } }

    /// Returns once it has subscribed to its requests topic.
    public func waitUntilSubscribed() async {
        await readiness.wait()
    }

    /// Asks ``run()`` to return after the batch in hand (rides in progress stop).
    public func stop() {
        stopping.store(true, ordering: .relaxed)
    }

    /// Creates its two topics if needed, then answers commands until ``stop()`` or cancellation.
    public func run() async throws {
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        try await admin.createTopics(
            [requestsTopic, updatesTopic].map { KafkaTopicSpecification(name: $0, partitions: 3) })
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                client: client, groupID: options.effectiveGroupID, fetchWaitMax: .milliseconds(20)),
            logger: logger)
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: client, linger: options.linger), logger: logger)
        // The first update then goes out at once, not after librdkafka's next metadata request.
        try await producer.prepare(topics: [updatesTopic])
        try consumer.subscribe(topics: [requestsTopic])
        readiness.open()
        say("reading \(requestsTopic), answering on \(updatesTopic)")
        do {
            while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
                let batch = try await consumer.poll(maxMessages: options.pollBatchSize, timeout: .milliseconds(100))
                guard !batch.isEmpty else { continue }
                for message in batch { receive(message, producer: producer) }
                try consumer.store(batch)
                // A failed commit (broker restarting, group generation moved on) is not the end: the
                // stored offsets go with the next commit; a command read again is answered idempotently.
                do { try await consumer.commit() } catch is KafkaError { say("offset commit failed; retried with the next batch") }
            }
        } catch is CancellationError {}
        let rides = state.withLock { state in
            defer { state.rides = [:] }
            return Array(state.rides.values)
        }
        for ride in rides { ride.cancel() }
        for ride in rides { await ride.value }
        try? await producer.close()
        try? await consumer.close()
        say("stopped")
    }

    // MARK: Commands

    private func receive(_ message: KafkaConsumerMessage, producer: KafkaProducer) {
        guard let command = try? PartnerRideCommand(wireBytes: message.value) else {
            say("undecodable command at \(message.topic)/\(message.partition)/\(message.offset) skipped")
            return
        }
        guard state.withLock({ $0.seenCommands.insert(command.eventId).inserted }) else { return }
        switch command.body {
        case .rideOffer(let offer): receiveOffer(offer, producer: producer)
        case .rideCancellation(let cancellation): receiveCancellation(cancellation)
        case .rideConfirmation(let confirmation): receiveConfirmation(confirmation)
        case nil: say("command \(command.eventId) without a known body skipped")
        }
    }

    private func receiveOffer(_ offer: RideOffer, producer: KafkaProducer) {
        let ride = RideKey(bookingID: offer.bookingId, legID: offer.legId)
        let answer = state.withLock { state -> OfferAnswer? in
            state.stats.offers += 1
            if options.silent {
                state.stats.unanswered += 1
                return nil
            }
            if state.rejectionsLeft > 0 {
                state.rejectionsLeft -= 1
                state.stats.rejected += 1
                return .reject
            }
            if options.noDrivers {
                state.stats.noDrivers += 1
                return .noDrivers
            }
            guard state.random.chance(options.acceptRate) else {
                state.stats.rejected += 1
                return .reject
            }
            state.stats.accepted += 1
            state.rideCount += 1
            return .accept(rideID: "\(options.partnerID)-ride-\(state.rideCount)")
        }
        guard let answer else {
            say("offer \(ride) received, not answering (silent)")
            return
        }
        let pickupAt = offer.pickupWindow?.startAt ?? 0
        let task = Task { [self] in
            await drive(ride, answer: answer, pickupAt: pickupAt, producer: producer)
            _ = state.withLock { $0.rides.removeValue(forKey: ride) }
        }
        state.withLock { $0.rides[ride] = task }
    }

    private func receiveConfirmation(_ confirmation: RideConfirmation) {
        let ride = RideKey(bookingID: confirmation.bookingId, legID: confirmation.legId)
        let complete = confirmation.pickup != nil && confirmation.dropOff != nil
        state.withLock { state in
            state.stats.confirmations += 1
            state.withDetails.insert(ride)
        }
        say("confirmation \(ride): \(complete ? "pickup and drop-off received" : "details missing")")
    }

    private func receiveCancellation(_ cancellation: RideCancellation) {
        let ride = RideKey(bookingID: cancellation.bookingId, legID: cancellation.legId)
        let task = state.withLock { state in
            state.stats.cancellations += 1
            state.cancelled.insert(ride)
            if cancellation.forgetRideDetails { state.withDetails.remove(ride) }
            return state.rides.removeValue(forKey: ride)
        }
        task?.cancel()
        let fee = cancellation.lateCancellation ? "late" : "free"
        let data = cancellation.forgetRideDetails ? "details deleted" : "no details held"
        say("cancellation \(ride) (\(fee)); \(task == nil ? "no ride in progress" : "ride stopped"), \(data)")
    }

    // MARK: Rides

    /// Answers the offer, and for an accepted one drives it to completion unless cancelled.
    private func drive(_ ride: RideKey, answer: OfferAnswer, pickupAt: Int64, producer: KafkaProducer) async {
        guard await pause(options.answerDelay, ride) else { return }
        switch answer {
        case .reject:
            await publish([update(ride, .rejected, reason: .other)], producer: producer)
        case .noDrivers:
            await publish([update(ride, .noDriversAvailable, reason: .noDriver)], producer: producer)
        case .accept(let rideID):
            let pickupETA = pickupAt > 0 ? pickupAt : SystemWallClock().nowMilliseconds() + 30 * 60_000
            await publish([update(ride, .accepted, rideID: rideID, eta: pickupETA)], producer: producer)
            await progress(ride, rideID: rideID, pickupETA: pickupETA, producer: producer)
        }
    }

    private func progress(_ ride: RideKey, rideID: String, pickupETA: Int64, producer: KafkaProducer) async {
        let steps: [RideStatus] = [.driverAssigned, .arriving, .pickedUp, .completed]
        var held: PartnerRideUpdate?
        for (index, status) in steps.enumerated() {
            guard await pause(options.stepDelay, ride) else { return }
            // Pickup estimate before PICKED_UP, drop-off estimate after, none once completed.
            let eta: Int64 =
                switch status {
                case .pickedUp: SystemWallClock().nowMilliseconds() + 45 * 60_000
                case .completed: 0
                default: pickupETA
                }
            let next = update(ride, status, rideID: rideID, eta: eta)
            if let older = held {
                held = nil
                await publish([next, older], producer: producer)
            } else if index < steps.count - 1, state.withLock({ $0.random.chance(options.reorderRate) }) {
                held = next
                say("\(ride) \(Self.name(next.status)) (seq \(next.sequence)) held back to follow the next one (reorder)")
            } else {
                await publish([next], producer: producer)
            }
        }
        state.withLock { state in
            state.stats.completed += 1
            state.withDetails.remove(ride)  // the ride is over: its details go
        }
    }

    /// Sleeps, then tells whether the ride is still on.
    private func pause(_ duration: Duration, _ ride: RideKey) async -> Bool {
        if duration > .zero {
            do { try await Task.sleep(for: duration) } catch { return false }
        }
        return !Task.isCancelled && !state.withLock { $0.cancelled.contains(ride) }
    }

    private func update(
        _ ride: RideKey, _ status: RideStatus, rideID: String = "", eta: Int64 = 0, reason: PartnerReason = .unspecified
    ) -> PartnerRideUpdate {
        let sequence = state.withLock { state -> UInt64 in
            state.sequences[ride, default: 0] += 1
            return state.sequences[ride, default: 0]
        }
        var update = PartnerRideUpdate()
        update.eventId = "\(options.partnerID)/\(ride.bookingID)/\(ride.legID)/\(sequence)"
        update.occurredAt = SystemWallClock().nowMilliseconds()
        update.partnerId = options.partnerID
        update.bookingId = ride.bookingID
        update.legId = ride.legID
        update.partnerRideId = rideID
        update.status = status
        update.sequence = sequence
        update.etaAt = eta
        update.reason = reason
        return update
    }

    /// Publishes updates in order, each possibly followed by a duplicate (same sequence, new event id).
    private func publish(_ updates: [PartnerRideUpdate], producer: KafkaProducer) async {
        var messages: [KafkaProducerMessage] = []
        for update in updates {
            messages.append(KafkaProducerMessage(topic: updatesTopic, key: update.bookingId, value: update.wireBytes()))
            let ride = RideKey(bookingID: update.bookingId, legID: update.legId)
            say("\(ride) \(Self.name(update.status)) (seq \(update.sequence))")
            if state.withLock({ $0.random.chance(options.duplicateRate) }) {
                var copy = update
                copy.eventId += "/dup"
                messages.append(KafkaProducerMessage(topic: updatesTopic, key: copy.bookingId, value: copy.wireBytes()))
                say("\(ride) \(Self.name(update.status)) (seq \(update.sequence)) sent twice (duplicate)")
            }
        }
        do {
            try await producer.send(messages)
            state.withLock { $0.stats.updatesSent += messages.count }
        } catch {
            say("could not publish \(messages.count) update(s): \(error)")
        }
    }

    private func say(_ line: String) {
        output("partner-sim \(options.partnerID): \(line)")
    }

    /// `DRIVER_ASSIGNED` for `RIDE_STATUS_DRIVER_ASSIGNED`.
    static func name(_ status: RideStatus) -> String {
        let full = status.name ?? String(status.rawValue)
        return full.hasPrefix("RIDE_STATUS_") ? String(full.dropFirst("RIDE_STATUS_".count)) : full
    }
}

/// One leg of one booking, as the partner sees it.
struct RideKey: Hashable, Sendable, CustomStringConvertible {
    var bookingID: String
    var legID: String
    var description: String { "\(bookingID) \(legID)" }
}

/// How an offer will be answered.
enum OfferAnswer: Sendable {
    case accept(rideID: String)
    case reject
    case noDrivers
}

/// The simulator's mutable state.
struct SimulatorState {
    var random: SeededRandom
    var rejectionsLeft: Int
    var stats = PartnerSimulatorStats()
    var seenCommands: Set<String> = []
    var sequences: [RideKey: UInt64] = [:]
    var cancelled: Set<RideKey> = []
    /// Rides whose confirmation (addresses, token) arrived and that are not over or cancelled.
    var withDetails: Set<RideKey> = []
    var rides: [RideKey: Task<Void, Never>] = [:]
    var rideCount = 0
}
