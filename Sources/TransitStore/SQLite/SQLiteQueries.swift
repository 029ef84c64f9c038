/// A statement the SQLite store prepares once per connection and reuses. `slot` indexes the
/// connection's statement cache (no hashing of SQL text on the hot path).
struct SQLiteQuery: Sendable {
    let slot: Int
    let sql: String
    /// Used in error messages.
    let operation: String
}

/// Every statement of ``SQLiteStore``, each with its cache slot.
enum SQLiteQueries {
    static let begin = SQLiteQuery(slot: 0, sql: "BEGIN IMMEDIATE", operation: "begin transaction")
    static let commit = SQLiteQuery(slot: 1, sql: "COMMIT", operation: "commit transaction")
    static let rollback = SQLiteQuery(slot: 2, sql: "ROLLBACK", operation: "roll back transaction")

    static let inboxLookup = SQLiteQuery(
        slot: 3, sql: "SELECT 1 FROM inbox WHERE consumer_group = ?1 AND event_id = ?2", operation: "inbox lookup")
    static let inboxInsert = SQLiteQuery(
        slot: 4,
        sql: "INSERT INTO inbox (consumer_group, event_id, processed_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        operation: "inbox insert")

    static let stateRead = SQLiteQuery(
        slot: 5, sql: "SELECT value FROM state WHERE namespace = ?1 AND key = ?2", operation: "state read")
    static let stateUpsert = SQLiteQuery(
        slot: 6,
        sql: """
            INSERT INTO state (namespace, key, value, updated_at) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """,
        operation: "state upsert")
    static let stateDelete = SQLiteQuery(
        slot: 7, sql: "DELETE FROM state WHERE namespace = ?1 AND key = ?2", operation: "state delete")
    static let stateKeysFrom = SQLiteQuery(
        slot: 8, sql: "SELECT key FROM state WHERE namespace = ?1 AND key >= ?2 ORDER BY key",
        operation: "state key listing")
    static let stateKeysBetween = SQLiteQuery(
        slot: 9, sql: "SELECT key FROM state WHERE namespace = ?1 AND key >= ?2 AND key < ?3 ORDER BY key",
        operation: "state key listing")

    static let outboxInsert = SQLiteQuery(
        slot: 10,
        sql: """
            INSERT INTO outbox (topic, key, value, headers, created_at, writer, claim_group, claim_topic, claim_partition, claim_epoch)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            """,
        operation: "outbox insert")
    static let outboxPending = SQLiteQuery(
        slot: 11,
        sql: """
            SELECT id, topic, key, value, headers, claim_group, claim_topic, claim_partition, claim_epoch FROM outbox
            WHERE id > ?2 ORDER BY id LIMIT ?1
            """,
        operation: "outbox read")
    static let outboxDelete = SQLiteQuery(
        slot: 12, sql: "DELETE FROM outbox WHERE id BETWEEN ?1 AND ?2", operation: "outbox delete")

    static let timerUpsert = SQLiteQuery(
        slot: 13,
        sql: """
            INSERT INTO timers (key, owner, fire_at, payload) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, fire_at = excluded.fire_at, payload = excluded.payload
            """,
        operation: "timer upsert")
    static let timerDelete = SQLiteQuery(slot: 14, sql: "DELETE FROM timers WHERE key = ?1", operation: "timer delete")
    static let dueTimers = SQLiteQuery(
        slot: 15,
        sql: """
            SELECT key, owner, fire_at, payload FROM timers WHERE fire_at <= ?1 AND (?3 = '' OR owner = ?3)
            ORDER BY fire_at, key LIMIT ?2
            """,
        operation: "due timers")

    static let counterCapacity = SQLiteQuery(
        slot: 16,
        sql: """
            INSERT INTO counters (name, used, capacity) VALUES (?1, 0, ?2)
            ON CONFLICT (name) DO UPDATE SET capacity = excluded.capacity
            """,
        operation: "counter capacity")
    /// The conditional write: changes the row only while there is room.
    static let counterReserve = SQLiteQuery(
        slot: 17, sql: "UPDATE counters SET used = used + ?2 WHERE name = ?1 AND used + ?2 <= capacity",
        operation: "counter reserve")
    static let counterRelease = SQLiteQuery(
        slot: 18, sql: "UPDATE counters SET used = MAX(used - ?2, 0) WHERE name = ?1", operation: "counter release")
    static let counterRead = SQLiteQuery(
        slot: 19, sql: "SELECT used, capacity FROM counters WHERE name = ?1", operation: "counter read")

    static let schemaVersion = SQLiteQuery(
        slot: 20, sql: "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", operation: "read schema version")
    static let recordMigration = SQLiteQuery(
        slot: 21, sql: "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)", operation: "record migration")

    static let inboxSweepWindow = SQLiteQuery(
        slot: 22,
        sql: """
            SELECT count(*), max(event_id) FROM (
                SELECT event_id FROM inbox WHERE consumer_group = ?1 AND event_id > ?2 ORDER BY event_id LIMIT ?3)
            """,
        operation: "inbox sweep")
    static let inboxPruneRange = SQLiteQuery(
        slot: 23,
        sql: "DELETE FROM inbox WHERE consumer_group = ?1 AND event_id > ?2 AND event_id <= ?3 AND processed_at < ?4",
        operation: "inbox prune")

    static let outboxPendingOwn = SQLiteQuery(
        slot: 24,
        sql: """
            SELECT o.id, o.topic, o.key, o.value, o.headers, o.claim_group, o.claim_topic, o.claim_partition, o.claim_epoch
            FROM outbox o LEFT JOIN partition_claims c
                ON c.consumer_group = o.claim_group AND c.input_topic = o.claim_topic AND c.input_partition = o.claim_partition
            WHERE o.id > ?2 AND CASE WHEN c.writer IS NULL THEN (o.writer = ?3 OR o.created_at < ?4) ELSE c.writer = ?3 END
            ORDER BY o.id LIMIT ?1
            """,
        operation: "outbox read")

    static let stateSweepWindow = SQLiteQuery(
        slot: 25,
        sql: """
            SELECT count(*), max(key) FROM (
                SELECT key FROM state WHERE namespace = ?1 AND key > ?2 ORDER BY key LIMIT ?3)
            """,
        operation: "state sweep")
    static let statePruneRange = SQLiteQuery(
        slot: 26,
        sql: "DELETE FROM state WHERE namespace = ?1 AND key > ?2 AND key <= ?3 AND updated_at < ?4",
        operation: "state prune")

    static let outboxDeleteOne = SQLiteQuery(slot: 27, sql: "DELETE FROM outbox WHERE id = ?1", operation: "outbox delete")
    static let deadOutboxInsert = SQLiteQuery(
        slot: 28,
        sql: """
            INSERT INTO dead_outbox (outbox_id, topic, key, value, headers, reason, failed_at)
            SELECT id, topic, key, value, headers, ?2, ?3 FROM outbox WHERE id = ?1
            """,
        operation: "dead outbox insert")
    static let deadOutboxRead = SQLiteQuery(
        slot: 29,
        sql: "SELECT id, outbox_id, topic, key, value, headers, reason, failed_at FROM dead_outbox ORDER BY id LIMIT ?1",
        operation: "dead outbox read")

    static let claimRead = SQLiteQuery(
        slot: 30,
        sql: "SELECT epoch FROM partition_claims WHERE consumer_group = ?1 AND input_topic = ?2 AND input_partition = ?3",
        operation: "claim read")
    static let claimTake = SQLiteQuery(
        slot: 31,
        sql: """
            INSERT INTO partition_claims (consumer_group, input_topic, input_partition, epoch, writer, claimed_at)
            VALUES (?1, ?2, ?3, 1, ?4, ?5)
            ON CONFLICT (consumer_group, input_topic, input_partition)
            DO UPDATE SET epoch = epoch + 1, writer = excluded.writer, claimed_at = excluded.claimed_at
            RETURNING epoch
            """,
        operation: "claim partition")

    /// The rows of other writers that precede a row of ``outboxPendingOwn`` (ids ?1 < id <= ?2) on
    /// its topic and key, whatever their id (docs/STORES.md, "Order per key across writers"), by id:
    /// rows outside the reader's scope, and other writers' rows at or below the cursor ?1 that
    /// joined it since the reader passed them (orphans). NULL keys have no order to keep. Nothing
    /// to look for (and only a scan of the writer column) while every row below ?2 and every
    /// claim is this writer's.
    static let outboxEarlierOfKeys = SQLiteQuery(
        slot: 32,
        sql: """
            WITH keys AS (
                SELECT o.topic, o.key, max(o.id) AS last
                FROM outbox o LEFT JOIN partition_claims c
                    ON c.consumer_group = o.claim_group AND c.input_topic = o.claim_topic AND c.input_partition = o.claim_partition
                WHERE (EXISTS (SELECT 1 FROM partition_claims WHERE writer <> ?3) OR EXISTS (SELECT 1 FROM outbox WHERE id < ?2 AND writer <> ?3))
                    AND o.id > ?1 AND o.id <= ?2 AND o.key IS NOT NULL
                    AND CASE WHEN c.writer IS NULL THEN (o.writer = ?3 OR o.created_at < ?4) ELSE c.writer = ?3 END
                GROUP BY o.topic, o.key)
            SELECT p.id, p.topic, p.key, p.value, p.headers, p.claim_group, p.claim_topic, p.claim_partition, p.claim_epoch
            FROM outbox p JOIN keys k ON p.topic = k.topic AND p.key = k.key AND p.id < k.last
                LEFT JOIN partition_claims c
                    ON c.consumer_group = p.claim_group AND c.input_topic = p.claim_topic AND c.input_partition = p.claim_partition
            WHERE p.id < ?2
                AND (NOT CASE WHEN c.writer IS NULL THEN (p.writer = ?3 OR p.created_at < ?4) ELSE c.writer = ?3 END
                    OR (p.id <= ?1 AND p.writer <> ?3))
            ORDER BY p.id
            """,
        operation: "outbox read")

    /// Number of cache slots.
    static let slotCount = 33
}
