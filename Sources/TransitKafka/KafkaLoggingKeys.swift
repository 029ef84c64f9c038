/// Metadata keys used in log lines of the Kafka layer, in one place.
public enum KafkaLoggingKeys {
    public static let facility = "kafka.facility"
    public static let error = "kafka.error"
    public static let errorCode = "kafka.error.code"
    public static let topic = "kafka.topic"
    public static let partition = "kafka.partition"
    public static let offset = "kafka.offset"
    public static let groupID = "kafka.group_id"
    public static let partitions = "kafka.partitions"
    public static let clientID = "kafka.client_id"
}
