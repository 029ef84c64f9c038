#include "CKafkaBaseline.h"

#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static rd_kafka_conf_t *make_conf(const char *brokers, const char *const *props, char *err, size_t errlen) {
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, errlen) != RD_KAFKA_CONF_OK) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    for (const char *const *p = props; p && p[0] && p[1]; p += 2) {
        if (rd_kafka_conf_set(conf, p[0], p[1], err, errlen) != RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(conf);
            return NULL;
        }
    }
    err[0] = '\0'; /* rd_kafka_conf_set may leave text behind on success (topic-level properties) */
    return conf;
}

int tt_baseline_consume(const char *brokers, const char *topic, int64_t expected, int timeout_ms,
                        const char *const *props, tt_baseline_result *out) {
    memset(out, 0, sizeof(*out));
    rd_kafka_conf_t *conf = make_conf(brokers, props, out->error, sizeof(out->error));
    if (!conf) return -1;
    char group[128];
    snprintf(group, sizeof(group), "baseline-%ld", (long)time(NULL));
    rd_kafka_conf_set(conf, "group.id", group, NULL, 0);
    rd_kafka_conf_set(conf, "enable.auto.commit", "false", NULL, 0);

    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, out->error, sizeof(out->error));
    if (!rk) { rd_kafka_conf_destroy(conf); return -1; }  /* conf is ours again when rd_kafka_new fails */
    rd_kafka_poll_set_consumer(rk);

    const rd_kafka_metadata_t *md = NULL;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
    rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, 10000);
    rd_kafka_topic_destroy(rkt);
    if (err || md->topic_cnt != 1 || md->topics[0].err) {
        snprintf(out->error, sizeof(out->error), "metadata for %s: %s", topic,
                 rd_kafka_err2str(err ? err : (md->topic_cnt ? md->topics[0].err : RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC)));
        if (md) rd_kafka_metadata_destroy(md);
        rd_kafka_destroy(rk);
        return -1;
    }
    rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(md->topics[0].partition_cnt);
    for (int i = 0; i < md->topics[0].partition_cnt; i++)
        rd_kafka_topic_partition_list_add(parts, topic, md->topics[0].partitions[i].id)->offset =
            RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_metadata_destroy(md);
    rd_kafka_assign(rk, parts);
    rd_kafka_topic_partition_list_destroy(parts);

    /* The clock is read only around the loop and on empty polls, not per message. */
    double first = 0, idle_since = now_seconds();
    int64_t received_at_idle = 0;
    while (out->messages < expected) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);
        if (!m) {
            double now = now_seconds();
            if (out->messages != received_at_idle) { received_at_idle = out->messages; idle_since = now; }
            if ((now - idle_since) * 1000 > timeout_ms) {
                snprintf(out->error, sizeof(out->error), "timed out after %ld of %ld messages",
                         (long)out->messages, (long)expected);
                break;
            }
            continue;
        }
        if (!m->err) {
            if (out->messages == 0) first = now_seconds();
            out->messages++;
            out->bytes += (int64_t)m->len;
        }
        rd_kafka_message_destroy(m);
    }
    out->seconds = now_seconds() - first;
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return out->error[0] ? -1 : 0;
}

static void count_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
    (void)rk;
    tt_baseline_result *out = opaque;
    if (m->err) {
        if (!out->error[0]) snprintf(out->error, sizeof(out->error), "delivery: %s", rd_kafka_err2str(m->err));
    } else {
        out->messages++;
        out->bytes += (int64_t)m->len;
    }
}

int tt_baseline_produce(const char *brokers, const char *topic, int64_t count, size_t size,
                        const char *const *props, tt_baseline_result *out) {
    memset(out, 0, sizeof(*out));
    rd_kafka_conf_t *conf = make_conf(brokers, props, out->error, sizeof(out->error));
    if (!conf) return -1;
    rd_kafka_conf_set_dr_msg_cb(conf, count_delivery);
    rd_kafka_conf_set_opaque(conf, out);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, out->error, sizeof(out->error));
    if (!rk) { rd_kafka_conf_destroy(conf); return -1; }

    char *payload = malloc(size);
    memset(payload, 'x', size);
    char key[32];
    double start = now_seconds();
    for (int64_t i = 0; i < count; i++) {
        int key_len = snprintf(key, sizeof(key), "key-%ld", (long)(i % 1024));
        for (;;) {
            rd_kafka_resp_err_t err = rd_kafka_producev(
                rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                RD_KAFKA_V_KEY(key, (size_t)key_len), RD_KAFKA_V_VALUE(payload, size), RD_KAFKA_V_END);
            if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) { rd_kafka_poll(rk, 10); continue; }
            if (err) snprintf(out->error, sizeof(out->error), "produce: %s", rd_kafka_err2str(err));
            break;
        }
        if (out->error[0]) break;
        rd_kafka_poll(rk, 0);
    }
    if (rd_kafka_flush(rk, 60000) != RD_KAFKA_RESP_ERR_NO_ERROR && !out->error[0])
        snprintf(out->error, sizeof(out->error), "flush timed out");
    out->seconds = now_seconds() - start;
    free(payload);
    rd_kafka_destroy(rk);
    return out->error[0] ? -1 : 0;
}
