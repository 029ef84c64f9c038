import Testing
import TransitKafka
import TransitTestSupport
import TransitWire

/// A slot freed on one partition reaches the waiting patient of another as an offer command keyed
/// by that patient (docs/TRIAL_ACCESS.md §5): the owner of the waiting patient's partition promotes
/// them, after their earlier outputs, not the worker that freed the slot.
@Suite("trial-access worker: waitlist offers", .serialized, .timeLimit(.minutes(5)))
struct WaitlistOfferFlowTests {
    @Test(
        "a withdrawal on one worker's partition promotes the waiting patient through the other worker, in key order",
        arguments: StoreKind.allCases)
    func promotionIsWrittenByThePromotedPatientsOwner(kind: StoreKind) async throws {
        try await withTwoWorkers("offer", kind: kind, capacityA: 1) { topics, workers, _ in
            let holder = TestBroker.unique("pt-holder")
            var waiter = TestBroker.unique("pt-waiter")
            while keyPartition(waiter, partitions: 2) == keyPartition(holder, partitions: 2) {
                waiter = TestBroker.unique("pt-waiter")
            }
            let holderPartition = keyPartition(holder, partitions: 2)
            let waiterPartition = keyPartition(waiter, partitions: 2)
            func owner(_ partition: Int32) -> Int? {
                workers.firstIndex {
                    $0.worker.assignment.contains(KafkaTopicPartition(topic: topics.enrollmentEvents, partition: partition))
                }
            }
            try await TestBroker.publish([Fixture.referral(holder)], topics: topics)
            _ = try await TestBroker.events(topics) { $0.latestState(of: holder) == .eligible }
            try await TestBroker.publish([Fixture.referral(waiter)], topics: topics)
            _ = try await TestBroker.events(topics) { $0.latestState(of: waiter) == .waitlisted }

            let owners = (holder: owner(holderPartition), waiter: owner(waiterPartition))
            #expect(owners.holder != nil && owners.waiter != nil && owners.holder != owners.waiter, "\(owners)")
            let handledBefore = workers.map { $0.worker.stats.handled }
            var withdrawn = PatientWithdrawn()
            withdrawn.trialId = TestCatalog.trialID
            withdrawn.reason = .other
            withdrawn.withdrawnAt = Fixture.now
            let withdrawal = Fixture.event(holder, .patientWithdrawn(withdrawn))
            try await TestBroker.publish([withdrawal], topics: topics)
            _ = try await TestBroker.events(topics) { $0.latestState(of: waiter) == .eligible }

            // The offer: one command on the enrollment topic, keyed by the waiting patient, on their partition.
            let offerID = "\(withdrawal.eventId)/promotion/\(TestCatalog.trialID)/\(waiter)"
            let inputs = try await readWholeTopic(topics.enrollmentEvents)
            #expect(inputs.filter { $0.key.map { String(decoding: $0, as: UTF8.self) } == holder }.allSatisfy {
                $0.partition == holderPartition
            })
            let offers = inputs.compactMap { message -> (KafkaConsumerMessage, EnrollmentEvent)? in
                guard let event = try? EnrollmentEvent(wireBytes: message.value), case .waitlistSlotOffered? = event.body
                else { return nil }
                return (message, event)
            }
            #expect(offers.map(\.1.eventId) == [offerID])
            #expect(offers.map(\.1.patientRef) == [waiter])
            #expect(offers.map(\.0.partition) == [waiterPartition])

            // The waiting patient's outputs, by offset on their partition: waitlisted, then the
            // promotion (ids from the offer), never before it.
            let outputs = try await readWholeTopic(topics.trialAccessEvents)
                .filter { $0.key.map { String(decoding: $0, as: UTF8.self) } == waiter }
                .sorted { $0.offset < $1.offset }
            #expect(Set(outputs.map(\.partition)) == [waiterPartition])
            let events = outputs.compactMap { try? TrialAccessEvent(wireBytes: $0.value) }
            let states = events.compactMap { event -> TransitWire.EnrollmentState? in
                if case .enrollmentStatusChanged(let change)? = event.body { change.state } else { nil }
            }
            #expect(states == [.waitlisted, .eligible])
            let promotion = events.drop { !$0.eventId.hasPrefix(offerID + "/") }
            #expect(promotion.count == events.count - 1, "\(events.map(\.eventId))")
            #expect(promotion.contains { if case .slotReserved? = $0.body { true } else { false } })

            // Handled by the owners: the withdrawal by the holder's, the offer by the waiter's.
            let handled = zip(workers.map { $0.worker.stats.handled }, handledBefore).map { $0 - $1 }
            #expect(owner(holderPartition) == owners.holder && owner(waiterPartition) == owners.waiter)
            if let holderOwner = owners.holder, let waiterOwner = owners.waiter {
                #expect(handled[holderOwner] == 1, "\(handled)")
                #expect(handled[waiterOwner] == 1, "\(handled)")
            }
        }
    }
}
