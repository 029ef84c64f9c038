import ArgumentParser
import TransitKafka

/// `--statistics-interval`: how often librdkafka's statistics refresh the consumer-lag, broker
/// round-trip and producer-queue gauges of `/metrics`.
struct StatisticsOptions: ParsableArguments {
    @Option(
        name: .customLong("statistics-interval"),
        help: ArgumentHelp(
            "Seconds between librdkafka statistics (consumer lag, broker round trip and producer queue in /metrics); 0 turns them off. Default: 10. Off while HTTP is off.",
            valueName: "seconds"))
    var statisticsInterval: Double = 10

    func validate() throws {
        guard statisticsInterval >= 0, statisticsInterval <= 86_400 else {
            throw ValidationError("--statistics-interval must be between 0 and 86400 seconds")
        }
    }

    /// `client` with statistics on, unless they are off or nothing serves `/metrics`.
    func applied(to client: KafkaClientConfiguration, http: HTTPOptions) throws -> KafkaClientConfiguration {
        guard statisticsInterval > 0, try http.port() != 0 else { return client }
        var client = client
        client.statisticsInterval = .milliseconds(Int64(statisticsInterval * 1_000))
        return client
    }
}
