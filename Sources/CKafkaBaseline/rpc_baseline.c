#include "CKafkaBaseline.h"

#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static double mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static rd_kafka_t *new_client(rd_kafka_type_t type, const char *brokers, const char *group,
                              const char *const *props, char *err, size_t errlen) {
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", brokers, NULL, 0);
    for (const char *const *p = props; p && p[0] && p[1]; p += 2) {
        if (rd_kafka_conf_set(conf, p[0], p[1], err, errlen) != RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(conf);
            return NULL;
        }
    }
    if (group) rd_kafka_conf_set(conf, "group.id", group, NULL, 0);
    err[0] = '\0';
    rd_kafka_t *rk = rd_kafka_new(type, conf, err, errlen);
    if (!rk) rd_kafka_conf_destroy(conf);
    else if (type == RD_KAFKA_CONSUMER) rd_kafka_poll_set_consumer(rk);
    return rk;
}

/* Reads from the current end of partition 0 of `topic`. */
static int assign_at_end(rd_kafka_t *rk, const char *topic) {
    int64_t low = 0, high = 0;
    if (rd_kafka_query_watermark_offsets(rk, topic, 0, &low, &high, 10000)) return -1;
    rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(list, topic, 0)->offset = high;
    rd_kafka_assign(rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    return 0;
}

typedef struct {
    rd_kafka_t *consumer;
    rd_kafka_t *producer;
    const char *reply_topic;
    atomic_int stop;
} server_state;

static void *serve(void *arg) {
    server_state *s = arg;
    while (!atomic_load(&s->stop)) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(s->consumer, 50);
        if (!m) continue;
        if (!m->err) {
            const void *cid = NULL;
            size_t cid_len = 0;
            rd_kafka_headers_t *in = NULL;
            if (rd_kafka_message_headers(m, &in) == RD_KAFKA_RESP_ERR_NO_ERROR)
                rd_kafka_header_get_last(in, "correlation-id", &cid, &cid_len);
            rd_kafka_producev(s->producer, RD_KAFKA_V_TOPIC(s->reply_topic),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                              RD_KAFKA_V_KEY(cid, cid_len), RD_KAFKA_V_VALUE((void *)"\x08\x01", 2),
                              RD_KAFKA_V_HEADER("correlation-id", cid, (ssize_t)cid_len),
                              RD_KAFKA_V_HEADER("rpc-status", "0", 1), RD_KAFKA_V_END);
            rd_kafka_poll(s->producer, 0);
        }
        rd_kafka_message_destroy(m);
    }
    return NULL;
}

int tt_baseline_rpc(const char *brokers, const char *request_topic, const char *reply_topic, int count,
                    const char *const *props, double *latencies_ms, tt_baseline_result *out) {
    memset(out, 0, sizeof(*out));
    char group[64];
    snprintf(group, sizeof(group), "baseline-rpc-%ld", (long)time(NULL));
    server_state server = {0};
    server.reply_topic = reply_topic;
    server.consumer = new_client(RD_KAFKA_CONSUMER, brokers, group, props, out->error, sizeof(out->error));
    server.producer = new_client(RD_KAFKA_PRODUCER, brokers, NULL, props, out->error, sizeof(out->error));
    rd_kafka_t *client = new_client(RD_KAFKA_PRODUCER, brokers, NULL, props, out->error, sizeof(out->error));
    rd_kafka_t *replies = new_client(RD_KAFKA_CONSUMER, brokers, "baseline-rpc-client", props, out->error,
                                     sizeof(out->error));
    if (!server.consumer || !server.producer || !client || !replies) goto done;
    if (assign_at_end(server.consumer, request_topic) || assign_at_end(replies, reply_topic)) {
        snprintf(out->error, sizeof(out->error), "watermarks of the rpc topics unavailable");
        goto done;
    }
    pthread_t thread;
    pthread_create(&thread, NULL, serve, &server);

    double start = mono_ms();
    for (int i = 0; i < count && !out->error[0]; i++) {
        char cid[32];
        int cid_len = snprintf(cid, sizeof(cid), "c-%d", i);
        double sent = mono_ms();
        rd_kafka_producev(client, RD_KAFKA_V_TOPIC(request_topic), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                          RD_KAFKA_V_VALUE((void *)"", 0),
                          RD_KAFKA_V_HEADER("rpc-method", "/trialtransit.v1.Health/Check", -1),
                          RD_KAFKA_V_HEADER("correlation-id", cid, cid_len),
                          RD_KAFKA_V_HEADER("reply-to", reply_topic, -1), RD_KAFKA_V_END);
        rd_kafka_poll(client, 0);
        for (;;) {
            rd_kafka_message_t *m = rd_kafka_consumer_poll(replies, 100);
            if (!m) {
                if (mono_ms() - sent > 10000) snprintf(out->error, sizeof(out->error), "no reply to %s", cid);
                if (out->error[0]) break;
                continue;
            }
            int match = !m->err && m->key_len == (size_t)cid_len && memcmp(m->key, cid, (size_t)cid_len) == 0;
            rd_kafka_message_destroy(m);
            if (match) break;
        }
        latencies_ms[i] = mono_ms() - sent;
        out->messages++;
    }
    out->seconds = (mono_ms() - start) / 1000.0;
    atomic_store(&server.stop, 1);
    pthread_join(thread, NULL);

done:
    if (replies) { rd_kafka_consumer_close(replies); rd_kafka_destroy(replies); }
    if (client) rd_kafka_destroy(client);
    if (server.producer) rd_kafka_destroy(server.producer);
    if (server.consumer) { rd_kafka_consumer_close(server.consumer); rd_kafka_destroy(server.consumer); }
    return out->error[0] ? -1 : 0;
}
