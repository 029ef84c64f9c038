import TransitKafka
import TransitRPC
import TransitWire

/// The topics of the wire contract (docs/CONTRACT.md §2) as the CLI reads them: the payload type
/// of each, its key, and the suggested partitions and configs that `topics ensure` creates
/// (``TransitTopics/contract(partners:)``, the one list the workers create their topics from too).
struct TopicCatalog: Sendable {
    /// One topic of the contract.
    typealias Entry = ContractTopic

    let topics: TransitTopics
    /// Partner ids whose request and update topics belong to the contract.
    var partners: [String] = []

    /// The RPC services whose request topics belong to the contract.
    static let services: [WireServiceDescriptor] = WireRegistry.services

    /// Every topic of the contract, in the order of CONTRACT.md §2.
    var entries: [Entry] { topics.contract(partners: partners) }

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
