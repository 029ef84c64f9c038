import TransitKafka
import Testing

@Suite("Producer and consumer against the local broker", .timeLimit(.minutes(2)))
struct ProducerConsumerTests {
    @Test func roundTripKeepsKeyHeadersAndTimestamp() async throws {
        let topic = try await TestKafka.topic("roundtrip")
        let producer = try TestKafka.producer()
        // Recent: the broker deletes messages older than the topic's retention (7 days) by timestamp.
        let timestamp = TestKafka.nowMilliseconds - 3_600_123
        let report = try await producer.send(
            KafkaProducerMessage(
                topic: topic, key: "patient-7", value: Array("hello".utf8),
                headers: [KafkaHeader(name: "traceparent", string: "00-abc-def-01"), KafkaHeader(name: "empty", value: nil)],
                timestamp: timestamp))
        #expect(report.topic == topic)
        #expect(report.offset == 0)

        let consumer = try TestKafka.consumer(group: nil)
        try consumer.assign([KafkaTopicPartitionOffset(topic: topic, partition: report.partition, offset: KafkaOffset.beginning)])
        let messages = try await TestKafka.drain(consumer, count: 1, store: false)
        try #require(messages.count == 1)
        let message = messages[0]
        #expect(message.keyString == "patient-7")
        #expect(Array(message.value) == Array("hello".utf8))
        #expect(message.timestamp == timestamp)
        #expect(message.headers == [KafkaHeader(name: "traceparent", string: "00-abc-def-01"), KafkaHeader(name: "empty", value: nil)])
        #expect(message.offset == report.offset)
        try await producer.close()
        try await consumer.close()
    }

    @Test func asyncSequenceDeliversEveryMessageInOrder() async throws {
        let topic = try await TestKafka.topic("sequence")
        try await TestKafka.produce(50, to: topic)
        let consumer = try TestKafka.consumer(group: nil)
        try consumer.assign([KafkaTopicPartitionOffset(topic: topic, partition: 0, offset: KafkaOffset.beginning)])
        var values: [String] = []
        for try await message in consumer.messages(batchSize: 7) {
            values.append(String(decoding: message.value, as: UTF8.self))
            if values.count == 50 { break }
        }
        #expect(values == (0..<50).map { "value-\($0)" })
    }

    @Test func fireAndForgetThenFlushDeliversEverything() async throws {
        let topic = try await TestKafka.topic("forget", partitions: 2)
        let producer = try TestKafka.producer()
        try await producer.sendAndForget((0..<1_000).map { KafkaProducerMessage(topic: topic, key: "k\($0)", value: [UInt8(truncatingIfNeeded: $0)]) })
        try await producer.flush(timeout: .seconds(20))
        #expect(producer.failedDeliveryCount == 0)
        let admin = try KafkaAdmin(configuration: TestKafka.client, logger: TestKafka.logger)
        let high0 = try await admin.watermarks(topic: topic, partition: 0).high
        let high1 = try await admin.watermarks(topic: topic, partition: 1).high
        #expect(high0 + high1 == 1_000)
        try await producer.close()
    }

    /// `prepare` finds freshly created topics (each partition of each) and the sends after it land.
    @Test func prepareFindsCreatedTopicsBeforeTheFirstSend() async throws {
        let first = try await TestKafka.topic("prepare-a", partitions: 3)
        let second = try await TestKafka.topic("prepare-b")
        let producer = try TestKafka.producer()
        #expect(try await producer.prepare(topics: []).isEmpty)
        #expect(try await producer.prepare(topics: [first, second, first]).isEmpty)
        for partition: Int32 in [0, 1, 2] {
            let report = try await producer.send(KafkaProducerMessage(topic: first, partition: partition, key: "k", value: [1]))
            #expect(report.partition == partition)
        }
        try await producer.close()
    }

    @Test func explicitPartitionIsHonoured() async throws {
        let topic = try await TestKafka.topic("partition", partitions: 3)
        let producer = try TestKafka.producer()
        for partition: Int32 in [2, 0, 1, 2] {
            let report = try await producer.send(KafkaProducerMessage(topic: topic, partition: partition, key: "same", value: [1]))
            #expect(report.partition == partition)
        }
        try await producer.close()
    }

    @Test func offsetsForTimestampFindFirstMessageAtOrAfter() async throws {
        let topic = try await TestKafka.topic("bytime")
        let producer = try TestKafka.producer()
        let base = TestKafka.nowMilliseconds - 60_000
        for index in 0..<10 {
            try await producer.send(
                KafkaProducerMessage(topic: topic, key: "k", value: [UInt8(index)], timestamp: base + Int64(index) * 1_000))
        }
        let admin = try KafkaAdmin(configuration: TestKafka.client, logger: TestKafka.logger)
        let found = try await admin.offsets(forTimestamp: base + 4_500, topic: topic)
        #expect(found == [KafkaTopicPartitionOffset(topic: topic, partition: 0, offset: 5)])
        let exact = try await admin.offsets(forTimestamp: base + 3_000, topic: topic)
        #expect(exact.first?.offset == 3)
        let after = try await admin.offsets(forTimestamp: base + 60_000, topic: topic)
        #expect(after.first?.offset == KafkaOffset.end || after.first?.offset == 10)
        try await producer.close()
    }

    @Test func pauseStopsDeliveryAndResumeContinues() async throws {
        let topic = try await TestKafka.topic("pause")
        try await TestKafka.produce(5, to: topic)
        let consumer = try TestKafka.consumer(group: nil)
        let partition = KafkaTopicPartition(topic: topic, partition: 0)
        try consumer.assign([KafkaTopicPartitionOffset(topic: topic, partition: 0, offset: KafkaOffset.beginning)])
        try consumer.pause([partition])
        let whilePaused = try await consumer.poll(timeout: .milliseconds(500))
        try consumer.resume([partition])
        let afterResume = try await TestKafka.drain(consumer, count: 5, store: false)
        #expect(whilePaused.count + afterResume.count == 5)
        #expect(afterResume.count >= 1)
        // A seek waits for the partition's fetcher; under a full parallel test run on a busy local
        // broker that took longer than the 10 s default once.
        try await consumer.seek([KafkaTopicPartitionOffset(topic: topic, partition: 0, offset: 3)], timeout: .seconds(30))
        let reread = try await TestKafka.drain(consumer, count: 2, store: false)
        #expect(reread.map(\.offset) == [3, 4])
    }
}
