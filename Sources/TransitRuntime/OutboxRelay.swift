import Logging
import TransitKafka
import TransitStore

/// Publishes the store's outbox with the idempotent producer and marks what was acknowledged.
///
/// One relay per store and process: it is an actor, so workers sharing a store never publish the
/// same rows concurrently. Transient failures (broker or store unavailable) are retried with
/// backoff, never skipped; rows stay in the outbox until the broker acknowledged them.
public actor OutboxRelay {
    private let store: any TransitStore
    private let producer: KafkaProducer
    private let backoff: Backoff
    private let logger: Logger
    private let batchSize: Int
    /// Messages published since start.
    public private(set) var published = 0

    public init(store: any TransitStore, producer: KafkaProducer, backoff: Backoff = Backoff(), batchSize: Int = 5_000, logger: Logger) {
        self.store = store
        self.producer = producer
        self.backoff = backoff
        self.batchSize = batchSize
        self.logger = logger
    }

    /// Publishes every pending outbox message, oldest first; returns how many.
    @discardableResult
    public func flush() async throws -> Int {
        var total = 0
        while true {
            let pending = try await Retry.transient("read outbox", backoff: backoff, logger: logger) {
                try await self.store.pendingOutbox(limit: self.batchSize)
            }
            if pending.isEmpty { return total }
            let messages = pending.map(\.producerMessage)
            try await Retry.transient("publish outbox", backoff: backoff, logger: logger, retryAll: true) {
                try await self.producer.send(messages)
            }
            try await Retry.transient("mark outbox published", backoff: backoff, logger: logger) {
                try await self.store.markPublished(pending.map(\.id))
            }
            total += pending.count
            published += pending.count
        }
    }
}

/// Retry loops for transient failures.
enum Retry {
    /// Runs `operation` until it succeeds, waiting with backoff after transient failures
    /// (``StoreError/isTransient``, ``KafkaError/isRetriable``; every error with `retryAll`).
    /// Other errors are thrown. Cancellation ends the loop.
    static func transient<T: Sendable>(
        _ what: String, backoff: Backoff, logger: Logger, retryAll: Bool = false,
        _ operation: @Sendable () async throws -> T
    ) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await operation()
            } catch {
                guard retryAll || isTransient(error) else { throw error }
                try Task.checkCancellation()
                let delay = backoff.delay(attempt: attempt)
                logger.warning(
                    "\(what) failed, retrying",
                    metadata: ["attempt": "\(attempt)", "retry_in": "\(delay)", "error": "\(error)"])
                try await Task.sleep(for: delay)
            }
        }
    }

    static func isTransient(_ error: any Error) -> Bool {
        if let error = error as? StoreError { return error.isTransient }
        if let error = error as? KafkaError { return error.isRetriable }
        return false
    }
}
