internal import CRdKafka

/// librdkafka's statistics callback (every `statistics.interval.ms`, on the thread that serves the
/// client's queue): parses the JSON and records the gauges of the client's context. Returns 0, so
/// librdkafka frees the JSON.
func statisticsCallback(
    _ rk: OpaquePointer?, _ json: UnsafeMutablePointer<CChar>?, _ length: Int, _ opaque: UnsafeMutableRawPointer?
) -> Int32 {
    guard let opaque, let json else { return 0 }
    let context = Unmanaged<RDKafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
    let bytes = UnsafeRawBufferPointer(start: json, count: length)
    if let statistics = KafkaStatistics(json: bytes) {
        context.statistics.record(statistics)
    }
    return 0
}
