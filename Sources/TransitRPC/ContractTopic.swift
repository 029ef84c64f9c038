import TransitKafka
import TransitTime
import TransitWire

/// One topic of the wire contract (docs/CONTRACT.md §2): its payload, its key, and the partitions
/// and configs it is created with. ``TransitTopics/contract(partners:)`` lists them all, once, for
/// the workers' start-up topic creation and the CLI's `topics`, `publish` and `consume`.
public struct ContractTopic: Sendable, Hashable {
    /// Full name, prefix included.
    public var name: String
    /// Full proto name of the payload; nil where it depends on the record (RPC requests by their
    /// `rpc-method` header, dead letters by their source topic).
    public var messageType: String?
    /// JSON paths, tried in order, of the field that is the record's key (for `publish`).
    public var keyPaths: [String]
    /// Suggested partitions.
    public var partitions: Int
    /// Compacted (the latest value per key is the truth) rather than deleted after `retention`.
    public var compacted: Bool
    /// How long records are kept; nil for a compacted topic.
    public var retention: Duration?

    /// Topic configs: cleanup policy, retention and `max.message.bytes` (the producer's
    /// `message.max.bytes`: ``KafkaProducerConfiguration/defaultMaxMessageBytes``), so that what a
    /// producer may send, a topic keeps and a decoder reads have one size limit.
    public var configs: [String: String] {
        var configs = ["max.message.bytes": String(KafkaProducerConfiguration.defaultMaxMessageBytes)]
        configs["cleanup.policy"] = compacted ? "compact" : "delete"
        if let retention { configs["retention.ms"] = String(retention.milliseconds) }
        return configs
    }
}

extension TransitTopics {
    /// Every topic of the contract in the order of CONTRACT.md §2, with the request, update and
    /// feedback topics of each partner in `partners`.
    public func contract(partners: [String] = []) -> [ContractTopic] {
        func topic(_ name: String, _ type: String?, key: [String], partitions: Int, keepDays: Int) -> ContractTopic {
            ContractTopic(
                name: name, messageType: type, keyPaths: key, partitions: partitions, compacted: false,
                retention: .seconds(keepDays * 24 * 3600))
        }
        let patient = ["patientRef"]
        var topics = [
            topic(enrollmentEvents, EnrollmentEvent.protoName, key: patient, partitions: 12, keepDays: 14),
            topic(travelRequests, TravelEvent.protoName, key: patient, partitions: 12, keepDays: 7),
            ContractTopic(
                name: trialCatalog, messageType: TrialDefinition.protoName, keyPaths: ["trialId"], partitions: 3,
                compacted: true, retention: nil),
            topic(enrollmentFeedback, InputFeedback.protoName, key: [], partitions: 12, keepDays: 7),
            topic(trialAccessEvents, TrialAccessEvent.protoName, key: patient, partitions: 12, keepDays: 14),
            topic(bookingEvents, BookingEvent.protoName, key: patient, partitions: 12, keepDays: 14),
        ]
        for partner in partners {
            let offer = ["rideOffer.bookingId", "rideConfirmation.bookingId", "rideCancellation.bookingId"]
            topics.append(topic(partnerRequests(partner), PartnerRideCommand.protoName, key: offer, partitions: 3, keepDays: 7))
            topics.append(topic(partnerUpdates(partner), PartnerRideUpdate.protoName, key: ["bookingId"], partitions: 3, keepDays: 7))
            topics.append(topic(partnerFeedback(partner), InputFeedback.protoName, key: [], partitions: 3, keepDays: 7))
        }
        for service in WireRegistry.services {
            let health = service.name == HealthService.name
            var requests = topic(
                rpcRequests(service: service.name), nil, key: health ? [] : patient, partitions: health ? 1 : 12, keepDays: 1)
            if health { requests.retention = .seconds(3600) }
            topics.append(requests)
        }
        topics.append(topic(deadLetters, nil, key: [], partitions: 3, keepDays: 14))
        topics.append(topic(audit, AuditRecord.protoName, key: ["subject"], partitions: 3, keepDays: 400))
        return topics
    }

    /// What `KafkaAdmin.createTopics` needs to create the topics `names` (in that order) at a
    /// worker's start: a contract topic's suggested partitions, or `partitions` for all, and its
    /// compaction (a name outside the contract gets the admin defaults).
    public func specifications(of names: [String], partitions: Int? = nil) -> [KafkaTopicSpecification] {
        let partnerIDs = Array(Set(names.compactMap(partnerID(inTopic:))))
        let contract = Dictionary(contract(partners: partnerIDs).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return names.map { name in
            guard let topic = contract[name] else { return KafkaTopicSpecification(name: name, partitions: partitions ?? 3) }
            return KafkaTopicSpecification(
                name: name, partitions: partitions ?? topic.partitions,
                configs: topic.compacted ? ["cleanup.policy": "compact"] : [:])
        }
    }
}
