import Dispatch
import Synchronization

/// Serves the producer's delivery reports and error callbacks on a dedicated thread.
final class PollLoop: Sendable {
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)

    init(client: RDKafkaClient) {
        let queue = DispatchQueue(label: "trialtransit.kafka.producer.poll")
        queue.async { [self] in
            while running.load(ordering: .relaxed) {
                client.poll(milliseconds: 50)
            }
            client.poll(milliseconds: 0)
            finished.signal()
        }
    }

    /// Stops the loop and waits for it to exit (at most one poll interval).
    func stop() {
        if running.exchange(false, ordering: .acquiringAndReleasing) { finished.wait() }
    }
}
