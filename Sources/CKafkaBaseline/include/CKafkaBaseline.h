#ifndef CKAFKA_BASELINE_H
#define CKAFKA_BASELINE_H

#include <stddef.h>
#include <stdint.h>

/// Result of a raw librdkafka loop, measured by the benchmarks as the baseline for the Swift layer.
typedef struct {
    int64_t messages;    ///< messages handled
    int64_t bytes;       ///< payload bytes handled
    double seconds;      ///< wall time from first to last message (consume) or first send to last report (produce)
    char error[512];     ///< empty on success
} tt_baseline_result;

/// A plain C consumer loop: assign every partition of `topic` from the beginning and call
/// `rd_kafka_consumer_poll` until `expected` messages arrived or `timeout_ms` passed without one.
/// `props` is a NULL-terminated list of extra key, value pairs. Returns 0 on success.
int tt_baseline_consume(const char *brokers, const char *topic, int64_t expected, int timeout_ms,
                        const char *const *props, tt_baseline_result *out);

/// A plain C producer loop: `rd_kafka_producev` of `count` messages of `size` bytes (keys
/// "key-<n % 1024>") with a delivery-report callback, then `rd_kafka_flush`. Returns 0 on success.
int tt_baseline_produce(const char *brokers, const char *topic, int64_t count, size_t size,
                        const char *const *props, tt_baseline_result *out);

#endif

/// A plain librdkafka request/reply loop: a server thread consumes `request_topic` and answers each
/// record on `reply_topic` (echoing its `correlation-id` header); the calling thread sends `count`
/// requests one after another and waits for each reply. Both topics must exist with 1 partition.
/// Round-trip times in milliseconds go to `latencies_ms` (room for `count`). Returns 0 on success.
int tt_baseline_rpc(const char *brokers, const char *request_topic, const char *reply_topic, int count,
                    const char *const *props, double *latencies_ms, tt_baseline_result *out);
