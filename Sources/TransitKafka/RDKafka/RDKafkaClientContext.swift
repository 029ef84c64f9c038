internal import CRdKafka
import Logging
import Synchronization

/// State reachable from librdkafka's C callbacks through the client's opaque pointer.
///
/// Callbacks only log, record or hand work to Swift through locks; they never block on Swift
/// concurrency.
final class RDKafkaClientContext: Sendable {
    let logger: Logger
    let rebalance: RebalanceState?
    /// The last error librdkafka reported through its error callback (e.g. a refused connection),
    /// used to make timeouts explain themselves.
    let lastError = Mutex<String?>(nil)
    /// Set when the producer's fire-and-forget deliveries fail; read by ``KafkaProducer``.
    let failedDeliveries = Atomic<Int>(0)
    /// Asynchronous offset commits started (``RDKafkaClient/startCommitOfStoredOffsets(answeringOn:)``)
    /// whose answer has not been served yet; a consumer closes only once they have settled.
    let commitsInFlight = Atomic<Int>(0)
    /// Gauges fed by librdkafka's statistics (when `statistics.interval.ms` is set).
    let statistics: KafkaStatisticsGauges

    /// `group`: the consumer group, for the consumer-lag gauge.
    init(logger: Logger, rebalance: RebalanceState? = nil, group: String? = nil) {
        self.logger = logger
        self.rebalance = rebalance
        self.statistics = KafkaStatisticsGauges(group: group)
    }

    static func from(_ rk: OpaquePointer?) -> RDKafkaClientContext? {
        guard let rk, let opaque = rd_kafka_opaque(rk) else { return nil }
        return Unmanaged<RDKafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
    }

    /// Installs the log, error and statistics callbacks on `conf`, and the certificate check when
    /// `tls` is on.
    static func installCallbacks(on conf: OpaquePointer, tls: Bool) {
        rd_kafka_conf_set_log_cb(conf, logCallback)
        rd_kafka_conf_set_error_cb(conf, errorCallback)
        rd_kafka_conf_set_stats_cb(conf, statisticsCallback)
        if tls { RDKafkaCertificateCheck.install(on: conf) }
    }

    /// Why the last TLS or SASL handshake failed, in one sentence: the certificate check's
    /// (``RDKafkaCertificateCheck``), else a summary of librdkafka's log line. Set from librdkafka's
    /// threads as it happens (errors reach the error callback only while someone polls).
    let handshakeFailure = Mutex<RDKafkaHandshakeFailure?>(nil)

    /// Records librdkafka's text `text` of a failed handshake, unless the certificate check already
    /// explained this failure.
    func recordHandshakeFailure(librdkafkaText text: String) {
        let certificateRefused = text.contains("certificate verify failed")
        handshakeFailure.withLock { current in
            if certificateRefused, current?.isRefusal == true { return }
            current = RDKafkaHandshakeFailure.summary(text)
        }
    }
}

/// Routes librdkafka's own log lines into swift-log, at the matching level.
private func logCallback(_ rk: OpaquePointer?, _ level: Int32, _ facility: UnsafePointer<CChar>?, _ text: UnsafePointer<CChar>?) {
    guard let context = RDKafkaClientContext.from(rk) else { return }
    let swiftLevel: Logger.Level
    switch level {
    case 0...3: swiftLevel = .error
    case 4: swiftLevel = .warning
    case 5, 6: swiftLevel = .info
    default: swiftLevel = .debug
    }
    let message = text.map { String(cString: $0) } ?? ""
    let fac = facility.map { String(cString: $0) } ?? ""
    if fac == "FAIL", RDKafkaHandshakeFailure.isHandshakeFailure(message) {
        context.recordHandshakeFailure(librdkafkaText: message)
    }
    context.logger.log(level: swiftLevel, "\(message)", metadata: [KafkaLoggingKeys.facility: "\(fac)"], source: "librdkafka")
}

/// Records and logs errors librdkafka reports outside any request (connection refused, all brokers down).
private func errorCallback(_ rk: OpaquePointer?, _ err: Int32, _ reason: UnsafePointer<CChar>?, _ opaque: UnsafeMutableRawPointer?) {
    guard let opaque else { return }
    let context = Unmanaged<RDKafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
    var text = reason.map { String(cString: $0) } ?? String(cString: rd_kafka_err2str(rd_kafka_resp_err_t(err)))
    if err == RD_KAFKA_RESP_ERR__SSL.rawValue || err == RD_KAFKA_RESP_ERR__AUTHENTICATION.rawValue {
        context.recordHandshakeFailure(librdkafkaText: text)
        text = context.handshakeFailure.withLock { $0?.text } ?? text
    }
    context.lastError.withLock { [text] in $0 = text }
    context.logger.warning(
        "librdkafka error",
        metadata: [KafkaLoggingKeys.error: "\(text)", KafkaLoggingKeys.errorCode: "\(err)"],
        source: "librdkafka"
    )
}
