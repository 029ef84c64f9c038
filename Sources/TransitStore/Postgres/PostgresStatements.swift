internal import CLibPQ

/// Every prepared statement of ``PostgresStore``. Batch writes take arrays and expand them
/// with `unnest`, so a batch is one round trip whatever its size. Lookups by a list of keys join
/// against `unnest(...)` rather than using `= ANY($n)`: the generic plan of `= ANY` can become a
/// sequential scan that compares every row with every element (seen: 400 ms per 1,000 ids on a
/// young 20,000-row inbox), while the join drives the primary-key index.
enum PostgresStatements {
    private typealias T = PostgresValue.TypeOID

    // MARK: Inbox

    static let processedIDs = PostgresStatement(
        name: "tt_inbox_select",
        sql: """
            SELECT inbox.event_id FROM unnest($2::text[]) AS ids(id)
            JOIN inbox ON inbox.consumer_group = $1 AND inbox.event_id = ids.id
            """,
        parameterTypes: [T.text, T.textArray], operation: "inbox lookup")

    /// Returns the ids it inserted: the others were already recorded.
    static let markProcessed = PostgresStatement(
        name: "tt_inbox_insert",
        sql: """
            INSERT INTO inbox (consumer_group, event_id, processed_at)
            SELECT $1, id, $3 FROM unnest($2::text[]) AS ids(id)
            ON CONFLICT DO NOTHING RETURNING event_id
            """,
        parameterTypes: [T.text, T.textArray, T.int8], operation: "inbox insert")

    // MARK: State

    static let stateRead = PostgresStatement(
        name: "tt_state_select", sql: "SELECT value FROM state WHERE namespace = $1 AND key = $2",
        parameterTypes: [T.text, T.text], operation: "state read")

    /// The rows of the keys in `$2`; keys without a row are not returned.
    static let stateReadMany = PostgresStatement(
        name: "tt_state_select_many",
        sql: """
            SELECT state.key, state.value FROM unnest($2::text[]) AS wanted(key)
            JOIN state ON state.namespace = $1 AND state.key = wanted.key
            """,
        parameterTypes: [T.text, T.textArray], operation: "state read")

    static let stateUpsert = PostgresStatement(
        name: "tt_state_upsert",
        sql: """
            INSERT INTO state (namespace, key, value, updated_at)
            SELECT n, k, v, $4 FROM unnest($1::text[], $2::text[], $3::bytea[]) AS rows(n, k, v)
            ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at
            """,
        parameterTypes: [T.textArray, T.textArray, T.byteaArray, T.int8], operation: "state upsert")

    static let stateDelete = PostgresStatement(
        name: "tt_state_delete",
        sql: """
            DELETE FROM state USING unnest($1::text[], $2::text[]) AS gone(n, k)
            WHERE state.namespace = gone.n AND state.key = gone.k
            """,
        parameterTypes: [T.textArray, T.textArray], operation: "state delete")

    static let stateKeysFrom = PostgresStatement(
        name: "tt_state_keys_from",
        sql: "SELECT key FROM state WHERE namespace = $1 AND key >= $2 ORDER BY key",
        parameterTypes: [T.text, T.text], operation: "state key listing")

    static let stateKeysBetween = PostgresStatement(
        name: "tt_state_keys_between",
        sql: "SELECT key FROM state WHERE namespace = $1 AND key >= $2 AND key < $3 ORDER BY key",
        parameterTypes: [T.text, T.text, T.text], operation: "state key listing")

    // MARK: Outbox

    /// Ids follow the order of the arrays.
    static let outboxInsert = PostgresStatement(
        name: "tt_outbox_insert",
        sql: """
            INSERT INTO outbox (topic, key, value, headers, created_at, writer, claim_group, claim_topic, claim_partition, claim_epoch)
            SELECT t, k, v, h, $5, $6, cg, ct, cp, ce
            FROM unnest($1::text[], $2::bytea[], $3::bytea[], $4::bytea[], $7::text[], $8::text[], $9::bigint[], $10::bigint[])
                WITH ORDINALITY AS rows(t, k, v, h, cg, ct, cp, ce, n)
            ORDER BY n
            """,
        parameterTypes: [
            T.textArray, T.byteaArray, T.byteaArray, T.byteaArray, T.int8, T.text, T.textArray, T.textArray, T.int8Array,
            T.int8Array,
        ], operation: "outbox insert")

    static let outboxPending = PostgresStatement(
        name: "tt_outbox_select_after",
        sql: """
            SELECT id, topic, key, value, headers, claim_group, claim_topic, claim_partition, claim_epoch FROM outbox
            WHERE id > $2 ORDER BY id LIMIT $1
            """,
        parameterTypes: [T.int8, T.int8], operation: "outbox read")

    static let outboxPendingOwn = PostgresStatement(
        name: "tt_outbox_select_own_after",
        sql: """
            SELECT o.id, o.topic, o.key, o.value, o.headers, o.claim_group, o.claim_topic, o.claim_partition, o.claim_epoch
            FROM outbox o LEFT JOIN partition_claims c
                ON c.consumer_group = o.claim_group AND c.input_topic = o.claim_topic AND c.input_partition = o.claim_partition
            WHERE o.id > $2 AND CASE WHEN c.writer IS NULL THEN (o.writer = $3 OR o.created_at < $4) ELSE c.writer = $3 END
            ORDER BY o.id LIMIT $1
            """,
        parameterTypes: [T.int8, T.int8, T.text, T.int8], operation: "outbox read")

    /// The rows of other writers that precede a row of ``outboxPendingOwn`` (ids $1 < id <= $2) on
    /// its topic and key, whatever their id (docs/STORES.md, "Order per key across writers"), by id:
    /// rows outside the reader's scope, and other writers' rows at or below the cursor $1 that
    /// joined it since the reader passed them (orphans). NULL keys have no order to keep. Nothing
    /// to look for while every row below $2 is this writer's and so is every claim those rows name
    /// (claims other writers hold on partitions no pending row names, left by writers that stopped,
    /// do not count, since a row found here is another writer's or names another writer's claim):
    /// that guard is the top-level filter, so a lone writer pays only for it, one pass over the
    /// pending rows below $2 that probes the claims once per distinct (writer, claim).
    ///
    /// Every scan of the rows below $2 starts at the oldest row, `(SELECT min(id) FROM outbox)`:
    /// a range with two bounds keeps the generic plan an index range scan over the pending rows
    /// whatever the statistics say. With `id < $2` alone, after an analyze that saw a backlog the
    /// generic plan was a sequential scan of the whole heap per read, a queue's heap bloated by
    /// earlier bursts (137 MB for no live row: 40-60 ms a read, up to 860 ms; docs/PERFORMANCE.md).
    static let outboxEarlierOfKeys = PostgresStatement(
        name: "tt_outbox_select_earlier_of_keys",
        sql: """
            WITH named AS (
                SELECT DISTINCT x.writer, x.claim_group, x.claim_topic, x.claim_partition FROM outbox x
                WHERE x.id >= (SELECT min(id) FROM outbox) AND x.id < $2),
            keys AS (
                SELECT o.topic, o.key, max(o.id) AS last
                FROM outbox o LEFT JOIN partition_claims c
                    ON c.consumer_group = o.claim_group AND c.input_topic = o.claim_topic AND c.input_partition = o.claim_partition
                WHERE o.id > $1 AND o.id <= $2 AND o.key IS NOT NULL
                    AND CASE WHEN c.writer IS NULL THEN (o.writer = $3 OR o.created_at < $4) ELSE c.writer = $3 END
                GROUP BY o.topic, o.key)
            SELECT p.id, p.topic, p.key, p.value, p.headers, p.claim_group, p.claim_topic, p.claim_partition, p.claim_epoch
            FROM outbox p JOIN keys k ON p.topic = k.topic AND p.key = k.key AND p.id < k.last
                LEFT JOIN partition_claims c
                    ON c.consumer_group = p.claim_group AND c.input_topic = p.claim_topic AND c.input_partition = p.claim_partition
            WHERE EXISTS (
                    SELECT 1 FROM named n LEFT JOIN partition_claims nc
                        ON nc.consumer_group = n.claim_group AND nc.input_topic = n.claim_topic
                            AND nc.input_partition = n.claim_partition
                    WHERE n.writer <> $3 OR nc.writer <> $3)
                AND p.id >= (SELECT min(id) FROM outbox) AND p.id < $2
                AND (NOT CASE WHEN c.writer IS NULL THEN (p.writer = $3 OR p.created_at < $4) ELSE c.writer = $3 END
                    OR (p.id <= $1 AND p.writer <> $3))
            ORDER BY p.id
            """,
        parameterTypes: [T.int8, T.int8, T.text, T.int8], operation: "outbox read")

    static let outboxDelete = PostgresStatement(
        name: "tt_outbox_delete",
        sql: "DELETE FROM outbox USING unnest($1::bigint[]) AS gone(id) WHERE outbox.id = gone.id",
        parameterTypes: [T.int8Array], operation: "outbox delete")

    /// Inserts the replacement only when the row was still pending.
    static let outboxReplace = PostgresStatement(
        name: "tt_outbox_replace",
        sql: """
            WITH gone AS (
                DELETE FROM outbox WHERE id = $1 RETURNING id, claim_group, claim_topic, claim_partition, claim_epoch)
            INSERT INTO outbox (topic, key, value, headers, created_at, writer, claim_group, claim_topic, claim_partition, claim_epoch)
            SELECT t, k, v, h, $6, $7, gone.claim_group, gone.claim_topic, gone.claim_partition, gone.claim_epoch
            FROM gone, unnest($2::text[], $3::bytea[], $4::bytea[], $5::bytea[]) AS rows(t, k, v, h)
            """,
        parameterTypes: [T.int8, T.textArray, T.byteaArray, T.byteaArray, T.byteaArray, T.int8, T.text],
        operation: "outbox replace")

    static let outboxBury = PostgresStatement(
        name: "tt_outbox_bury",
        sql: """
            WITH gone AS (DELETE FROM outbox WHERE id = $1 RETURNING id, topic, key, value, headers)
            INSERT INTO dead_outbox (outbox_id, topic, key, value, headers, reason, failed_at)
            SELECT id, topic, key, value, headers, $2, $3 FROM gone
            """,
        parameterTypes: [T.int8, T.text, T.int8], operation: "outbox bury")

    static let deadOutboxRead = PostgresStatement(
        name: "tt_dead_outbox_select",
        sql: "SELECT id, outbox_id, topic, key, value, headers, reason, failed_at FROM dead_outbox ORDER BY id LIMIT $1",
        parameterTypes: [T.int8], operation: "dead outbox read")

    // MARK: Partition claims

    /// The latest epochs of a group's partitions in `$2`/`$3`, locked until the commit (a new
    /// claim waits for the transactions that hold the previous one).
    static let claimsHeld = PostgresStatement(
        name: "tt_claims_hold",
        sql: """
            SELECT c.input_topic, c.input_partition, c.epoch FROM partition_claims c
            JOIN unnest($2::text[], $3::bigint[]) AS held(t, p)
                ON c.consumer_group = $1 AND c.input_topic = held.t AND c.input_partition = held.p
            ORDER BY c.input_topic, c.input_partition FOR SHARE OF c
            """,
        parameterTypes: [T.text, T.textArray, T.int8Array], operation: "claims check")

    static let claimTake = PostgresStatement(
        name: "tt_claim_take",
        sql: """
            INSERT INTO partition_claims (consumer_group, input_topic, input_partition, epoch, writer, claimed_at)
            VALUES ($1, $2, $3, 1, $4, $5)
            ON CONFLICT (consumer_group, input_topic, input_partition)
            DO UPDATE SET epoch = partition_claims.epoch + 1, writer = EXCLUDED.writer, claimed_at = EXCLUDED.claimed_at
            RETURNING epoch
            """,
        parameterTypes: [T.text, T.text, T.int8, T.text, T.int8], operation: "claim partition")

    /// One step of an inbox sweep: (rows looked at, last event id looked at, rows deleted).
    static let inboxSweep = PostgresStatement(
        name: "tt_inbox_sweep",
        sql: """
            WITH sweep AS (
                SELECT count(*) AS seen, max(event_id) AS last FROM (
                    SELECT event_id FROM inbox WHERE consumer_group = $1 AND event_id > $2 ORDER BY event_id LIMIT $4) w),
            gone AS (
                DELETE FROM inbox USING sweep
                WHERE consumer_group = $1 AND event_id > $2 AND event_id <= sweep.last AND processed_at < $3
                RETURNING 1)
            SELECT sweep.seen, sweep.last, (SELECT count(*) FROM gone) FROM sweep
            """,
        parameterTypes: [T.text, T.text, T.int8, T.int8], operation: "inbox sweep")

    /// One step of a sweep over a state namespace: (rows looked at, last key looked at, rows deleted).
    static let stateSweep = PostgresStatement(
        name: "tt_state_sweep",
        sql: """
            WITH sweep AS (
                SELECT count(*) AS seen, max(key) AS last FROM (
                    SELECT key FROM state WHERE namespace = $1 AND key > $2 ORDER BY key LIMIT $4) w),
            gone AS (
                DELETE FROM state USING sweep
                WHERE namespace = $1 AND key > $2 AND key <= sweep.last AND updated_at < $3
                RETURNING 1)
            SELECT sweep.seen, sweep.last, (SELECT count(*) FROM gone) FROM sweep
            """,
        parameterTypes: [T.text, T.text, T.int8, T.int8], operation: "state sweep")

    // MARK: Timers

    static let timerUpsert = PostgresStatement(
        name: "tt_timer_upsert",
        sql: """
            INSERT INTO timers (key, owner, fire_at, payload)
            SELECT k, o, f, p FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bytea[]) AS rows(k, o, f, p)
            ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, fire_at = EXCLUDED.fire_at, payload = EXCLUDED.payload
            """,
        parameterTypes: [T.textArray, T.textArray, T.int8Array, T.byteaArray], operation: "timer upsert")

    static let timerDelete = PostgresStatement(
        name: "tt_timer_delete",
        sql: "DELETE FROM timers USING unnest($1::text[]) AS gone(key) WHERE timers.key = gone.key",
        parameterTypes: [T.textArray], operation: "timer delete")

    /// Locks the due timers it returns and skips those another transaction holds, so two
    /// processes never fire the same timer.
    static let dueTimers = PostgresStatement(
        name: "tt_timer_due_owner",
        sql: """
            SELECT key, owner, fire_at, payload FROM timers WHERE fire_at <= $1 AND ($3 = '' OR owner = $3)
            ORDER BY fire_at, key LIMIT $2 FOR UPDATE SKIP LOCKED
            """,
        parameterTypes: [T.int8, T.int8, T.text], operation: "due timers")

    // MARK: Counters

    static let counterCapacity = PostgresStatement(
        name: "tt_counter_capacity",
        sql: """
            INSERT INTO counters (name, used, capacity) VALUES ($1, 0, $2)
            ON CONFLICT (name) DO UPDATE SET capacity = EXCLUDED.capacity
            """,
        parameterTypes: [T.text, T.int8], operation: "counter capacity")

    /// The conditional write: changes one row only while there is room.
    static let counterReserve = PostgresStatement(
        name: "tt_counter_reserve",
        sql: "UPDATE counters SET used = used + $2 WHERE name = $1 AND used + $2 <= capacity",
        parameterTypes: [T.text, T.int8], operation: "counter reserve")

    static let counterRelease = PostgresStatement(
        name: "tt_counter_release", sql: "UPDATE counters SET used = GREATEST(used - $2, 0) WHERE name = $1",
        parameterTypes: [T.text, T.int8], operation: "counter release")

    static let counterRead = PostgresStatement(
        name: "tt_counter_select", sql: "SELECT used, capacity FROM counters WHERE name = $1",
        parameterTypes: [T.text], operation: "counter read")
}
