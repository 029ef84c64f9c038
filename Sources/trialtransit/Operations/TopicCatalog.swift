import TransitKafka
import TransitRPC
import TransitWire

/// The topics of the wire contract (docs/CONTRACT.md §2) in one place: the payload type of each,
/// its key, and the suggested partitions and cleanup policy that `topics ensure` creates.
struct TopicCatalog: Sendable {
    /// One topic of the contract.
    struct Entry: Sendable, Hashable {
        /// Full name, prefix included.
        var name: String
        /// Full proto name of the payload; nil where it depends on the record (RPC requests by
        /// their `rpc-method` header, dead letters by their source topic).
        var messageType: String?
        /// JSON paths, tried in order, of the field that is the record's key (for `publish`).
        var keyPaths: [String]
        /// Suggested partitions.
        var partitions: Int
        /// Topic configs: cleanup policy, retention and `max.message.bytes` (the producer's
        /// `message.max.bytes`: ``KafkaProducerConfiguration/defaultMaxMessageBytes``).
        var configs: [String: String]
    }

    let topics: TransitTopics
    /// Partner ids whose request and update topics belong to the contract.
    var partners: [String] = []

    private static let hour = 3_600_000
    private static let day = 24 * hour
    private static func delete(ms: Int) -> [String: String] {
        ["cleanup.policy": "delete", "retention.ms": String(ms)]
    }

    /// The RPC services whose request topics belong to the contract.
    static let services: [WireServiceDescriptor] = WireRegistry.services

    /// Every topic of the contract, in the order of CONTRACT.md §2.
    var entries: [Entry] {
        let patient = ["patientRef"]
        var entries = [
            Entry(name: topics.enrollmentEvents, messageType: EnrollmentEvent.protoName, keyPaths: patient, partitions: 12,
                configs: Self.delete(ms: 14 * Self.day)),
            Entry(name: topics.travelRequests, messageType: TravelEvent.protoName, keyPaths: patient, partitions: 12,
                configs: Self.delete(ms: 7 * Self.day)),
            Entry(name: topics.trialCatalog, messageType: TrialDefinition.protoName, keyPaths: ["trialId"], partitions: 3,
                configs: ["cleanup.policy": "compact"]),
            Entry(name: topics.enrollmentFeedback, messageType: InputFeedback.protoName, keyPaths: [], partitions: 12,
                configs: Self.delete(ms: 7 * Self.day)),
            Entry(name: topics.trialAccessEvents, messageType: TrialAccessEvent.protoName, keyPaths: patient, partitions: 12,
                configs: Self.delete(ms: 14 * Self.day)),
            Entry(name: topics.bookingEvents, messageType: BookingEvent.protoName, keyPaths: patient, partitions: 12,
                configs: Self.delete(ms: 14 * Self.day)),
        ]
        for partner in partners {
            entries.append(
                Entry(name: topics.partnerRequests(partner), messageType: PartnerRideCommand.protoName,
                    keyPaths: ["rideOffer.bookingId", "rideConfirmation.bookingId", "rideCancellation.bookingId"], partitions: 3,
                    configs: Self.delete(ms: 7 * Self.day)))
            entries.append(
                Entry(name: topics.partnerUpdates(partner), messageType: PartnerRideUpdate.protoName, keyPaths: ["bookingId"],
                    partitions: 3, configs: Self.delete(ms: 7 * Self.day)))
            entries.append(
                Entry(name: topics.partnerFeedback(partner), messageType: InputFeedback.protoName, keyPaths: [],
                    partitions: 3, configs: Self.delete(ms: 7 * Self.day)))
        }
        for service in Self.services {
            let health = service.name == HealthService.name
            entries.append(
                Entry(name: topics.rpcRequests(service: service.name), messageType: nil, keyPaths: health ? [] : patient,
                    partitions: health ? 1 : 12, configs: Self.delete(ms: health ? Self.hour : Self.day)))
        }
        entries.append(
            Entry(name: topics.deadLetters, messageType: nil, keyPaths: [], partitions: 3, configs: Self.delete(ms: 14 * Self.day)))
        entries.append(
            Entry(name: topics.audit, messageType: AuditRecord.protoName, keyPaths: ["subject"], partitions: 3,
                configs: Self.delete(ms: 400 * Self.day)))
        // One size limit everywhere: what a producer may send, a topic keeps and a decoder reads.
        let maxBytes = String(KafkaProducerConfiguration.defaultMaxMessageBytes)
        return entries.map { entry in
            var entry = entry
            entry.configs["max.message.bytes"] = maxBytes
            return entry
        }
    }

    /// The contract entry of a topic name, partner topics of any partner id included.
    func entry(forTopic name: String) -> Entry? {
        if let entry = entries.first(where: { $0.name == name }) { return entry }
        if let partner = topics.partnerID(inTopic: name) {
            return TopicCatalog(topics: topics, partners: [partner]).entries.first { $0.name == name }
        }
        return nil
    }

    /// The proto type of a topic's records when it does not depend on the record.
    func messageType(forTopic name: String) -> String? {
        entry(forTopic: name)?.messageType
    }

    /// The proto type of one record: the topic's type; for RPC requests the method's request type
    /// (from `rpc-method`); for dead letters the type of their source topic.
    func messageType(topic: String, headers: [KafkaHeader]) -> String? {
        if let type = messageType(forTopic: topic) { return type }
        if topic == topics.deadLetters, let source = headers.string(TransitHeaders.dlqSourceTopic), source != topic {
            return messageType(topic: source, headers: headers)
        }
        if let path = headers.string(TransitHeaders.rpcMethod) {
            return Self.requestType(ofPath: path)
        }
        return nil
    }

    /// The request type of an RPC path such as `/trialtransit.v1.TrialAccess/RequestTrialAccess`.
    static func requestType(ofPath path: String) -> String? {
        let parts = path.split(separator: "/")
        guard parts.count == 2, let service = services.first(where: { $0.name == parts[0] }) else { return nil }
        return service.method(named: String(parts[1]))?.inputType
    }
}
