internal import CRdKafka

/// Closes a consumer so that librdkafka 2.0.2 never terminates its group with an assignment
/// operation in flight (the `rd_kafka_cgrp_terminated: !rd_kafka_assignment_in_progress` abort,
/// also open upstream in later 2.x releases).
///
/// `rd_kafka_consumer_close` revokes the assignment and terminates the group in one go; when a
/// rebalance or a broker restart is still moving partitions, the revocation's commit or a queued
/// assignment can start after the group decided it may terminate. So, as other librdkafka-based
/// clients do, the group is left first: unsubscribe (or drop a manual assignment), serve the
/// consumer queue until the revocation ran — its hook and commit included — and no partition is
/// assigned, and only then close. Messages that arrive meanwhile are dropped unread: their
/// offsets were never stored, so the next owner reads them.
///
/// The same holds for offset commits: a commit librdkafka serves after the group decided to
/// terminate trips the same assertion. ``KafkaConsumer`` refuses commits once closing began, and
/// the wait here also covers the asynchronous commits still unanswered
/// (``RDKafkaClientContext/commitsInFlight``), e.g. parked while the coordinator is unreachable.
enum RDKafkaConsumerClose {
    /// Leaves the group within `leaveTimeout`, then closes. Blocks: call it off the cooperative pool.
    static func close(_ client: RDKafkaClient, queue: OpaquePointer, subscribed: Bool, leaveTimeout: Duration) throws {
        if subscribed {
            let err = rd_kafka_unsubscribe(client.handle)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                client.context.logger.warning("unsubscribe before close failed", metadata: [KafkaLoggingKeys.error: "\(client.error(err, "unsubscribe"))"])
            }
        } else {
            rd_kafka_assign(client.handle, nil)
        }
        let clock = ContinuousClock()
        let deadline = clock.now + leaveTimeout
        while unsettled(client) && clock.now < deadline {
            // Serves the rebalance callback (revocation hook, commit, unassign) and the answers of
            // commits in flight, and drops messages.
            if let message = rd_kafka_consume_queue(queue, 100) { rd_kafka_message_destroy(message) }
        }
        if hasAssignment(client) {
            client.context.logger.warning("partitions still assigned when closing; closing anyway")
        }
        let commits = client.context.commitsInFlight.load(ordering: .relaxed)
        if commits > 0 {
            client.context.logger.warning("offset commits still unanswered when closing; closing anyway", metadata: ["commits": "\(commits)"])
        }
        let err = rd_kafka_consumer_close(client.handle)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw client.error(err, "close") }
    }

    private static func unsettled(_ client: RDKafkaClient) -> Bool {
        hasAssignment(client) || client.context.commitsInFlight.load(ordering: .relaxed) > 0
    }

    private static func hasAssignment(_ client: RDKafkaClient) -> Bool {
        var pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(client.handle, &pointer) == RD_KAFKA_RESP_ERR_NO_ERROR, let pointer else { return false }
        defer { rd_kafka_topic_partition_list_destroy(pointer) }
        return pointer.pointee.cnt > 0
    }
}
