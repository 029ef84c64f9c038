import Foundation
import Testing
import TransitTestSupport
import TransitKafka
import TransitRPC
import TransitStore
import TransitWire

import struct TrialAccess.TrialAccessConfig

/// Screening slots shared by workers: the last slot, expiry, capacity changes.
@Suite("trial-access worker: slots", .serialized, .timeLimit(.minutes(5)))
struct SlotTests {
    @Test(
        "two concurrent referrals for the last slot, on two workers of one group: one eligible, one waitlisted",
        arguments: StoreKind.allCases)
    func lastSlotGoesToExactlyOnePatient(kind: StoreKind) async throws {
        try await withTwoWorkers("race", kind: kind, capacityA: 1) { topics, workers, store in
            let patients = [TestBroker.unique("pt-race0"), TestBroker.unique("pt-race1")]
            try await TestBroker.publish(
                patients.enumerated().map { partition, patient in
                    KafkaProducerMessage(
                        topic: topics.enrollmentEvents, partition: Int32(partition), key: patient,
                        value: Fixture.referral(patient).wireBytes())
                })
            let events = try await TestBroker.events(topics) { events in
                patients.allSatisfy { events.latestState(of: $0) != nil }
            }
            let states = patients.compactMap { events.latestState(of: $0) }
            #expect(states.count == 2)
            #expect(states.filter { $0 == .eligible }.count == 1, "\(states)")
            #expect(states.filter { $0 == .waitlisted }.count == 1, "\(states)")
            #expect(patients.flatMap { events.slotsReserved(for: $0) }.count == 1)
            let waitlisted = try #require(patients.first { events.latestState(of: $0) == .waitlisted })
            #expect(events.statusChanges(of: waitlisted).last?.reasonCodes == ["NO_CAPACITY_IN_RANGE"])
            // Both referrals were decided, by the workers of the group. Usually each worker decides
            // one; since partition claims (issue #14) one worker sometimes decided both on SQLite
            // (2 CI runs in 5), which the outcome above must survive too. Open: why.
            #expect(workers.map { $0.worker.stats.handled }.reduce(0, +) == 2, "\(workers.map { $0.worker.stats.handled })")
            // Lock rows only where transactions run concurrently; SQLite serializes them.
            #expect(workers.allSatisfy { $0.parts.handler.aggregateLocks == (kind == .postgres) })

            let usage = try await store.transaction {
                try $0.counter("slots/\(TestCatalog.trialID)/\(TestCatalog.siteA)")
            }
            #expect(usage?.used == 1)
            #expect(usage?.capacity == 1)
        }
    }

    @Test(
        "patients waitlisted concurrently by two workers all stay on the shared waitlist and are all promoted",
        arguments: StoreKind.allCases)
    func concurrentWaitlistingKeepsEveryPatient(kind: StoreKind) async throws {
        try await withTwoWorkers("waitlist", kind: kind, capacityA: 0) { topics, workers, _ in
            let patients = (0..<16).map { TestBroker.unique("pt-wait\($0)") }
            try await TestBroker.publish(
                patients.enumerated().map { index, patient in
                    KafkaProducerMessage(
                        topic: topics.enrollmentEvents, partition: Int32(index % 2), key: patient,
                        value: Fixture.referral(patient).wireBytes())
                })
            let waiting = try await TestBroker.events(topics) { events in
                patients.allSatisfy { events.latestState(of: $0) == .waitlisted }
            }
            #expect(patients.allSatisfy { waiting.latestState(of: $0) == .waitlisted })
            #expect(workers.allSatisfy { $0.worker.stats.handled > 0 })

            // Room for everybody: a lost waitlist entry would stay waitlisted.
            let raised = Fixture.catalogRecord(capacityA: UInt32(patients.count), updatedAt: Fixture.now)
            try await TestBroker.publish([
                KafkaProducerMessage(topic: topics.trialCatalog, key: TestCatalog.trialID, value: raised.wireBytes())
            ])
            let events = try await TestBroker.events(topics) { events in
                patients.allSatisfy { events.latestState(of: $0) == .eligible }
            }
            let stillWaiting = patients.filter { events.latestState(of: $0) != .eligible }
            #expect(stillWaiting.isEmpty, "\(stillWaiting.count) of \(patients.count) were never promoted")
        }
    }

    @Test("an expired reservation releases the slot and promotes the next waiting patient")
    func reservationExpiryReleasesAndPromotes() async throws {
        // The worker's clock is a manual one: the reservation lapses when the test moves it on.
        let clock = ManualClock(start: Fixture.now)
        try await withWorker("expiry", capacityA: 1, clock: clock) { topics, running in
            let first = TestBroker.unique("pt-first")
            let second = TestBroker.unique("pt-second")
            // One partition, decided in this order: the first patient takes the only slot.
            try await TestBroker.publishInOrder([Fixture.referral(first), Fixture.referral(second)], topics: topics)
            let decided = try await TestBroker.events(topics) { events in
                events.latestState(of: first) != nil && events.latestState(of: second) != nil
            }
            #expect(decided.latestState(of: first) == .eligible)
            #expect(decided.latestState(of: second) == .waitlisted)
            #expect(running.worker.stats.timersFired == 0, "the reservation holds while the clock stands")
            clock.advance(by: .milliseconds(TrialAccessConfig.standard.reservationTTL + 1))
            let events = try await TestBroker.events(topics) { events in
                events.statusChanges(of: first).count >= 2 && events.statusChanges(of: second).count >= 2
            }
            let firstChanges = events.statusChanges(of: first)
            #expect(firstChanges.prefix(2).map(\.state) == [.eligible, .needsReview])
            #expect(firstChanges.dropFirst().first?.reasonCodes == ["SLOT_EXPIRED"])
            #expect(
                events.contains {
                    if case .slotReleased(let released)? = $0.body {
                        $0.patientRef == first && released.reason == .expired
                    } else {
                        false
                    }
                })
            let secondChanges = events.statusChanges(of: second)
            #expect(secondChanges.prefix(2).map(\.state) == [.waitlisted, .eligible])
            #expect(secondChanges.dropFirst().first?.reasonCodes == ["PROMOTED_FROM_WAITLIST"])
            #expect(events.slotsReserved(for: second).first?.siteId == TestCatalog.siteA)
            #expect(running.worker.stats.timersFired >= 1)
        }
    }

    @Test("a catalogue update raising a capacity promotes the waiting patient; a stale one is ignored")
    func catalogueUpdatePromotes() async throws {
        try await withWorker("catalog", capacityA: 1) { topics, running in
            let first = TestBroker.unique("pt-first")
            let second = TestBroker.unique("pt-second")
            try await TestBroker.publish([Fixture.referral(first)], topics: topics)
            _ = try await TestBroker.events(topics) { $0.latestState(of: first) == .eligible }
            try await TestBroker.publish([Fixture.referral(second)], topics: topics)
            _ = try await TestBroker.events(topics) { $0.latestState(of: second) == .waitlisted }

            let stale = Fixture.catalogRecord(capacityA: 5, updatedAt: 1)
            let raised = Fixture.catalogRecord(capacityA: 2, updatedAt: Fixture.now)
            try await TestBroker.publish(
                [stale, raised].map {
                    KafkaProducerMessage(topic: topics.trialCatalog, key: TestCatalog.trialID, value: $0.wireBytes())
                })
            let events = try await TestBroker.events(topics) { $0.latestState(of: second) == .eligible }
            let promoted = try #require(events.statusChanges(of: second).last)
            #expect(promoted.state == .eligible)
            #expect(promoted.reasonCodes == ["PROMOTED_FROM_WAITLIST"])
            #expect(events.slotsReserved(for: second).count == 1)

            // A third patient finds the raised capacity used up: waitlisted.
            let third = TestBroker.unique("pt-third")
            try await TestBroker.publish([Fixture.referral(third)], topics: topics)
            let after = try await TestBroker.events(topics) { $0.latestState(of: third) != nil }
            #expect(after.latestState(of: third) == .waitlisted)
            #expect(running.worker.stats.deadLettered == 0)
        }
    }
}

/// Runs `body` with two workers of one consumer group, each on its own store instance of one fresh
/// database (as two processes would be), once the group is balanced: each worker owns one of the
/// two partitions of every input topic. `store` is a third instance for inspection.
func withTwoWorkers(
    _ name: String, kind: StoreKind, capacityA: Int,
    _ body: (TransitTopics, [RunningWorker], any TransitStore) async throws -> Void
) async throws {
    let topics = try await TestBroker.makeTopics("\(name)-\(kind.rawValue)", partitions: 2)
    let catalogPath = try TestCatalog.write(capacityA: capacityA, capacityB: 0)
    defer { try? FileManager.default.removeItem(atPath: catalogPath) }
    let database = try await TestDatabase.make(kind)
    defer { database.destroy() }
    let stores = [try await database.open(), try await database.open(), try await database.open()]
    let group = TestBroker.unique("taw-\(name)")
    var workers: [RunningWorker] = []
    do {
        for store in stores.prefix(2) {
            workers.append(
                try await RunningWorker.start(store: store, topics: topics, catalogPath: catalogPath, group: group))
        }
        // Both workers hold input partitions before anything is published (two input topics of
        // two partitions each: the group spreads them over both members).
        try await waitUntil(
            "both workers of the group to hold enrollment partitions",
            saw: { "assignments \(workers.map { $0.worker.assignment.map(\.description).sorted() })" }
        ) {
            workers.allSatisfy { worker in worker.worker.assignment.contains { $0.topic == topics.enrollmentEvents } }
        }
        try await body(topics, workers, stores[2])
    } catch {
        for worker in workers { await worker.stop() }
        for store in stores { try? await store.close() }
        throw error
    }
    for worker in workers { await worker.stop() }
    for store in stores { try await store.close() }
}
