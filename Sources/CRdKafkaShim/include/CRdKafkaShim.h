#ifndef CRDKAFKA_SHIM_PRODUCE_H
#define CRDKAFKA_SHIM_PRODUCE_H

#include <stddef.h>
#include <stdint.h>
#include <librdkafka/rdkafka.h>

/// Fixed-argument wrapper over the variadic `rd_kafka_producev` (Swift cannot call C varargs).
///
/// The payload and key are copied by librdkafka (RD_KAFKA_MSG_F_COPY). On success librdkafka takes
/// ownership of `headers` (may be NULL); on failure the caller still owns and must destroy them.
/// `partition` is RD_KAFKA_PARTITION_UA (-1) for the partitioner; `timestamp_ms` 0 means "now".
rd_kafka_resp_err_t tt_produce(rd_kafka_t *rk,
                               const char *topic,
                               int32_t partition,
                               const void *key, size_t key_len,
                               const void *value, size_t value_len,
                               rd_kafka_headers_t *headers,
                               int64_t timestamp_ms,
                               void *msg_opaque);

#endif
