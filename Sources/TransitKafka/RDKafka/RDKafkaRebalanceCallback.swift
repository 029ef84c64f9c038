internal import CRdKafka

/// librdkafka's rebalance callback: runs the hook, commits before revoking, then (un)assigns.
func rebalanceCallback(
    _ rk: OpaquePointer?, _ err: rd_kafka_resp_err_t,
    _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, _ opaque: UnsafeMutableRawPointer?
) {
    guard let rk, let partitions, let opaque else { return }
    let context = Unmanaged<RDKafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
    let list = RDKafkaTopicPartitionList(borrowing: partitions)
    // NULL while the consumer is closing (the callback then runs inside rd_kafka_consumer_close):
    // eager (un)assignment is what librdkafka expects there.
    let rebalanceProtocol: UnsafePointer<CChar>? = rd_kafka_rebalance_protocol(rk)
    let cooperative = rebalanceProtocol.map { String(cString: $0) } == "COOPERATIVE"
    // A non-owning view of the handle for the hook: the client outlives every callback.
    let client = RebalanceClientView(handle: rk, context: context)
    let rebalance = context.rebalance

    switch err {
    case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
        if cooperative {
            _ = rd_kafka_incremental_assign(rk, partitions)
        } else {
            rd_kafka_assign(rk, partitions)
        }
        context.logger.info(
            "partitions assigned", metadata: [KafkaLoggingKeys.partitions: "\(list.partitions.map(\.description))"])
        rebalance?.hook?(.assigned(list.partitions), KafkaRebalanceContext(client: client.borrowed))
    case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
        context.logger.info(
            "partitions being revoked", metadata: [KafkaLoggingKeys.partitions: "\(list.partitions.map(\.description))"])
        let hookContext = KafkaRebalanceContext(client: client.borrowed)
        rebalance?.hook?(.revoking(list.partitions), hookContext)
        if rd_kafka_assignment_lost(rk) != 0 {
            // The group already gave the partitions away (e.g. a missed heartbeat or, on some
            // brokers, any join): a commit would be refused. The next owner reads from the last commit.
            context.logger.info(
                "assignment lost: stored offsets not committed",
                metadata: [KafkaLoggingKeys.partitions: "\(list.partitions.map(\.description))"])
        } else if rebalance?.commitOnRevoke ?? true {
            do { try hookContext.commitStoredOffsets() } catch {
                context.logger.warning("commit before revoke failed", metadata: [KafkaLoggingKeys.error: "\(error)"])
            }
        }
        if cooperative {
            _ = rd_kafka_incremental_unassign(rk, partitions)
        } else {
            rd_kafka_assign(rk, nil)
        }
    default:
        context.logger.warning("rebalance error", metadata: [KafkaLoggingKeys.error: "\(KafkaError(rdError: err))"])
        rd_kafka_assign(rk, nil)
    }
}

/// Wraps the raw handle seen in a callback as an ``RDKafkaClient`` that does not destroy it.
private struct RebalanceClientView {
    let handle: OpaquePointer
    let context: RDKafkaClientContext
    var borrowed: RDKafkaClient { RDKafkaClient(borrowing: handle, context: context) }
}
