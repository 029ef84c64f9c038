import TransitDemo
import TransitKafka
import TransitRPC
import TransitStore
import TransitWire
import TransitTestSupport
@testable import TransportWorker
import Testing

/// Issue #15 point 4: an erasure is durable. After it, a replay and a redrive of the patient's
/// travel request, a late request, a late `TravelNeeded` and a `BookRide` contact no partner and
/// store no address; each is audited instead.
@Suite("Transport worker: durable erasure", .timeLimit(.minutes(3)))
struct ErasureTombstoneTests {
    @Test func replayedRedrivenAndLateInputsAfterAnErasureAreNoOps() async throws {
        try await TransportHarness.with("tombstone", partners: [TransportTestSupport.partnerJSON(id: "metro-taxi")]) {
            harness, collector in
            try await harness.simulator(PartnerSimulatorOptions(partnerID: "metro-taxi", stepDelay: .seconds(60)))
            let patient = TransportTestSupport.unique("p")
            let request = TransportTestSupport.travelRequested(patient: patient, visitID: "v-1")
            try await harness.publish(
                TransportTestSupport.travelNeeded(patient: patient, visitID: "v-1", at: TransportTestSupport.appointment()))
            try await harness.publish(request)
            try await harness.waitForEvents(collector) { $0.contains { $0.confirmed != nil } }
            try await harness.publish(TransportTestSupport.erasureRequested(patient: patient))
            try await harness.waitForEvents(collector) { $0.contains { $0.cancelled != nil } }
            try await harness.settle(collector)
            let partnerTopic = harness.topics.partnerRequests("metro-taxi")
            let contactedBefore = collector.messages.filter { $0.topic == partnerTopic }.count
            let eventsBefore = harness.events(collector).count
            #expect(contactedBefore == 3)  // offer, confirmation, cancellation (forget)

            // The tombstone lives in the store: a restarted worker still honours it.
            try await harness.stopWorker()
            try await harness.startWorker()

            // A replay and a redrive republish the original record with replay headers (as
            // `trialtransit replay` and `trialtransit dlq redrive` do); the others are new inputs.
            try await Self.send([
                Self.republished(request, topic: harness.topics.travelRequests, replayID: "replay-1"),
                Self.republished(request, topic: harness.topics.travelRequests, replayID: "redrive-1"),
            ])
            try await harness.publish(TransportTestSupport.travelRequested(patient: patient, requestID: "req-2", visitID: "v-2"))
            try await harness.publish(
                TransportTestSupport.travelNeeded(patient: patient, visitID: "v-2", at: TransportTestSupport.appointment()))
            let refused = await #expect(throws: RPCError.self) {
                try await harness.client().call(
                    TransportBookingService.bookRide, TransportTestSupport.bookRideRequest(patient: patient, visitID: "v-3"),
                    key: patient, deadline: .seconds(90))
            }
            #expect(refused?.code == .failedPrecondition)
            let ignored = try await collector.read("five input-ignored audit records") { messages in
                Self.ignoredAudits(messages, topic: harness.topics.audit).count >= 5
            }
            try await harness.settle(collector)

            let audits = Self.ignoredAudits(collector.messages, topic: harness.topics.audit)
            #expect(
                audits.map { $0.details["input"] ?? "" }.sorted() == [
                    "BookRide", "TravelAssistanceRequested", "TravelAssistanceRequested", "TravelAssistanceRequested",
                    "TravelNeeded",
                ], "\(audits)")
            #expect(audits.allSatisfy { $0.subject == patient && $0.action == .erasure })
            #expect(Set(audits.compactMap { $0.details["replay-id"] }) == ["replay-1", "redrive-1"])
            #expect(!ignored.isEmpty)
            // No partner contacted, no booking event, nothing personal stored again.
            #expect(collector.messages.filter { $0.topic == partnerTopic }.count == contactedBefore)
            #expect(harness.events(collector).count == eventsBefore)
            let personal = [TransportTestSupport.pickup.addressText, TransportTestSupport.contactToken]
            for visit in ["v-1", "v-2", "v-3"] {
                let stored = try await harness.storedPersonalData(patient: patient, visit: visit, searching: personal)
                #expect(stored.legsWithPersonalData == 0 && stored.travelRequests == 0, "\(visit): \(stored)")
                #expect(!stored.rawBytesContainSearched, "\(visit) holds an address or a token")
            }
            #expect(try await harness.storedPersonalData(patient: patient, visit: "v-2", searching: personal).legs == 0)
            // The tombstone does not hold the patient ref in clear.
            let keys = try await harness.readState { state in
                try state.transaction.stateKeys(namespace: ErasureTombstones.namespace, prefix: "")
            }
            #expect(keys.count == 1 && keys.allSatisfy { !$0.contains(patient) && $0.count == 64 })
        }
    }

    /// A tombstone is keyed by a salted HMAC: one salt per store, made once, and a key per patient.
    @Test(arguments: StoreKind.allCases)
    func tombstonesAreKeyedBySaltedDigests(_ kind: StoreKind) async throws {
        let database = try await TestDatabase.make(kind)
        defer { database.destroy() }
        let store = try await database.open()
        try await store.transaction { transaction in
            let tombstones = ErasureTombstones(transaction: transaction)
            #expect(try !tombstones.isErased("p-1"))
            try tombstones.record("p-1")
            try tombstones.record("p-1")
            try tombstones.record("p-2")
        }
        let (erased, other, keys, salt) = try await store.transaction { transaction in
            let tombstones = ErasureTombstones(transaction: transaction)
            return (
                try tombstones.isErased("p-1") && tombstones.isErased("p-2"), try tombstones.isErased("p-3"),
                try transaction.stateKeys(namespace: ErasureTombstones.namespace, prefix: ""),
                try transaction.state(namespace: ErasureTombstones.saltNamespace, key: ErasureTombstones.saltKey) ?? []
            )
        }
        try await store.close()
        #expect(erased && !other)
        #expect(keys.count == 2 && keys.allSatisfy { !$0.contains("p-") })
        #expect(salt.count == 32)
        // Another salt gives other keys: a dump of the tombstones alone cannot be matched to refs.
        #expect(Set(keys) == Set(["p-1", "p-2"].map { ErasureTombstones.key($0, salt: salt) }))
        #expect(ErasureTombstones.key("p-1", salt: salt) != ErasureTombstones.key("p-1", salt: Array(repeating: 0, count: 32)))
    }

    /// Two processes sharing a PostgreSQL store erase patients at once on a store without a salt:
    /// the salt's lock makes them agree on one salt, so every tombstone is found from either.
    @Test func concurrentFirstErasuresOnPostgreSQLShareOneSalt() async throws {
        let database = try await TestDatabase.make(.postgres)
        defer { database.destroy() }
        let stores = [try await database.open(), try await database.open()]
        let patients = (0..<8).map { "p-race-\($0)" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, patient) in patients.enumerated() {
                let store = stores[index % 2]
                group.addTask {
                    try await store.transaction { transaction in try ErasureTombstones(transaction: transaction).record(patient) }
                }
            }
            try await group.waitForAll()
        }
        for store in stores {
            let found = try await store.transaction { transaction in
                try patients.filter { try ErasureTombstones(transaction: transaction).isErased($0) }
            }
            #expect(found == patients)
        }
        let keys = try await stores[0].transaction { transaction in
            try transaction.stateKeys(namespace: ErasureTombstones.saltNamespace, prefix: "")
        }
        #expect(keys == [ErasureTombstones.saltKey])
        for store in stores { try await store.close() }
    }

    static func send(_ messages: [KafkaProducerMessage]) async throws {
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: TransportTestSupport.client), logger: TransportTestSupport.logger)
        try await producer.send(messages)
        try await producer.close()
    }

    static func republished(_ event: TravelEvent, topic: String, replayID: String) -> KafkaProducerMessage {
        KafkaProducerMessage(
            topic: topic, key: event.patientRef, value: event.wireBytes(),
            headers: [
                KafkaHeader(name: TransitHeaders.replayID, string: replayID),
                KafkaHeader(name: TransitHeaders.replayedFrom, string: "\(topic)/0/0"),
            ])
    }

    static func ignoredAudits(_ messages: [KafkaConsumerMessage], topic: String) -> [AuditRecord] {
        messages.filter { $0.topic == topic }.compactMap { try? AuditRecord(wireBytes: $0.value) }
            .filter { $0.details["outcome"] == "input-ignored" }
    }
}
