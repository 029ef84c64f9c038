/// Consumed messages one at a time; polls in batches underneath. See ``KafkaConsumer/messages(batchSize:)``.
public struct KafkaMessageSequence: AsyncSequence, Sendable {
    public typealias Element = KafkaConsumerMessage
    let consumer: KafkaConsumer
    let batchSize: Int

    public struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: KafkaConsumer
        let batchSize: Int
        var buffer: [KafkaConsumerMessage] = []
        var index = 0

        public mutating func next() async throws -> KafkaConsumerMessage? {
            while index == buffer.count {
                if Task.isCancelled || consumer.isClosed { return nil }
                buffer = try await consumer.poll(maxMessages: batchSize).messages
                index = 0
            }
            defer { index += 1 }
            return buffer[index]
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(consumer: consumer, batchSize: batchSize)
    }
}

/// Non-empty batches of consumed messages. See ``KafkaConsumer/batches(maxMessages:)``.
public struct KafkaBatchSequence: AsyncSequence, Sendable {
    public typealias Element = KafkaMessageBatch
    let consumer: KafkaConsumer
    let maxMessages: Int

    public struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: KafkaConsumer
        let maxMessages: Int

        public mutating func next() async throws -> KafkaMessageBatch? {
            while !Task.isCancelled && !consumer.isClosed {
                let batch = try await consumer.poll(maxMessages: maxMessages)
                if !batch.isEmpty { return batch }
            }
            return nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(consumer: consumer, maxMessages: maxMessages)
    }
}
