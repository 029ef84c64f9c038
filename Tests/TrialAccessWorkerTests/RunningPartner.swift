import TransitDemo
import TransitRPC
import TransitWire

/// A partner simulator on a test's topics, in its own consumer group, in this process.
struct RunningPartner {
    let simulator: PartnerSimulator
    let task: Task<Void, any Error>

    /// Starts `options.partnerID` (its group made unique) and returns once it reads its requests topic.
    static func start(topics: TransitTopics, options: PartnerSimulatorOptions) async throws -> RunningPartner {
        var options = options
        options.groupID = TestBroker.unique("taw-partner-\(options.partnerID)")
        let simulator = PartnerSimulator(
            options: options, client: try TestBroker.client, topics: topics, logger: TestBroker.quietLogger,
            output: { _ in })
        let task = Task { try await simulator.run() }
        await simulator.waitUntilSubscribed()
        return RunningPartner(simulator: simulator, task: task)
    }

    /// Stops reading (rides in progress stop) and waits for it.
    func stop() async {
        simulator.stop()
        _ = try? await task.value
    }
}
