internal import CRdKafka
import TransitTime

/// Blocking librdkafka Admin API calls. Every `*_new` object is destroyed in a `defer`; the result
/// event is destroyed after its contents were copied out.
enum RDKafkaAdminRequest {
    static func createTopics(
        _ client: RDKafkaClient, _ topics: [KafkaTopicSpecification], ignoreExisting: Bool, timeout: Duration
    ) throws -> [String] {
        var errorText = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        for spec in topics {
            guard
                let topic = rd_kafka_NewTopic_new(
                    spec.name, Int32(spec.partitions), Int32(spec.replicationFactor), &errorText, errorText.count)
            else {
                throw KafkaError.invalidConfiguration("topic \(spec.name): \(errorText.nullTerminatedString)")
            }
            newTopics.append(topic)
            for (key, value) in spec.configs.sorted(by: { $0.key < $1.key }) {
                let err = rd_kafka_NewTopic_set_config(topic, key, value)
                if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(rdError: err, context: "topic config \(key)") }
            }
        }
        let event = try run(client, timeout: timeout) { options, queue in
            newTopics.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_CreateTopics(client.handle, buffer.baseAddress, buffer.count, options, queue)
            }
        }
        defer { rd_kafka_event_destroy(event) }
        var count = 0
        let result = rd_kafka_event_CreateTopics_result(event)
        let results = rd_kafka_CreateTopics_result_topics(result, &count)
        var created: [String] = []
        for index in 0..<count {
            let topicResult = results![index]
            let name = String(cString: rd_kafka_topic_result_name(topicResult))
            let err = rd_kafka_topic_result_error(topicResult)
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                created.append(name)
            } else if !(ignoreExisting && err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
                let detail = rd_kafka_topic_result_error_string(topicResult).map { String(cString: $0) } ?? ""
                throw KafkaError(rdError: err, context: "create topic \(name)\(detail.isEmpty ? "" : " (\(detail))")")
            }
        }
        return created
    }

    static func deleteTopics(_ client: RDKafkaClient, _ names: [String], timeout: Duration) throws {
        var deletes: [OpaquePointer?] = names.map { rd_kafka_DeleteTopic_new($0) }
        defer { for item in deletes { rd_kafka_DeleteTopic_destroy(item) } }
        let event = try run(client, timeout: timeout) { options, queue in
            deletes.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_DeleteTopics(client.handle, buffer.baseAddress, buffer.count, options, queue)
            }
        }
        defer { rd_kafka_event_destroy(event) }
        var count = 0
        let results = rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(event), &count)
        for index in 0..<count {
            let err = rd_kafka_topic_result_error(results![index])
            if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART {
                throw KafkaError(rdError: err, context: "delete topic \(String(cString: rd_kafka_topic_result_name(results![index])))")
            }
        }
    }

    /// Deletes every record before each entry's offset (its new low watermark).
    static func deleteRecords(_ client: RDKafkaClient, before: [KafkaTopicPartitionOffset], timeout: Duration) throws {
        let list = RDKafkaTopicPartitionList(before)
        // rd_kafka_DeleteRecords_new copies the list; `list` frees the original.
        var deletes: [OpaquePointer?] = [rd_kafka_DeleteRecords_new(list.pointer)]
        defer { for item in deletes { rd_kafka_DeleteRecords_destroy(item) } }
        let event = try run(client, timeout: timeout) { options, queue in
            deletes.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_DeleteRecords(client.handle, buffer.baseAddress, buffer.count, options, queue)
            }
        }
        defer { rd_kafka_event_destroy(event) }
        // The result's list belongs to the event.
        let deleted = rd_kafka_event_DeleteRecords_result(event)
        guard let offsets = rd_kafka_DeleteRecords_result_offsets(deleted) else { return }
        let result = RDKafkaTopicPartitionList(borrowing: UnsafeMutablePointer(mutating: offsets))
        if let error = result.firstError("delete records") { throw error }
    }

    /// Starts a request with `start(options, queue)` and waits for its result event.
    private static func run(
        _ client: RDKafkaClient, timeout: Duration, _ start: (OpaquePointer?, OpaquePointer?) -> Void
    ) throws -> OpaquePointer {
        let queue = rd_kafka_queue_new(client.handle)
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(client.handle, RD_KAFKA_ADMIN_OP_ANY)
        defer { rd_kafka_AdminOptions_destroy(options) }
        var errorText = [CChar](repeating: 0, count: 512)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, Int32(clamping: timeout.milliseconds), &errorText, errorText.count)
        start(options, queue)
        guard let event = rd_kafka_queue_poll(queue, Int32(clamping: timeout.milliseconds + 1000)) else {
            throw client.error(RD_KAFKA_RESP_ERR__TIMED_OUT, "admin request")
        }
        let err = rd_kafka_event_error(event)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let text = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
            rd_kafka_event_destroy(event)
            var error = client.error(err, "admin request")
            if !text.isEmpty { error.message += ": \(text)" }
            throw error
        }
        return event
    }
}
