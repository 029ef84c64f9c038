extension SchemaMigration {
    /// The schema version that adds partition claims and tags outbox rows with the claim that wrote
    /// them (docs/STORES.md, "Partition claims"); the one number to change if the step must move.
    static let partitionClaimsVersion = 5
    static let partitionClaimsName = "partition claims; outbox rows carry their input partition and claim epoch"

    /// Outbox rows written before this step, and rows of timers, have no partition (`claim_partition` -1).
    static let partitionClaimsSQLite = SchemaMigration(
        version: partitionClaimsVersion, name: partitionClaimsName,
        statements: [
            """
            CREATE TABLE partition_claims (
                consumer_group TEXT NOT NULL,
                input_topic TEXT NOT NULL,
                input_partition INTEGER NOT NULL,
                epoch INTEGER NOT NULL,
                writer TEXT NOT NULL,
                claimed_at INTEGER NOT NULL,
                PRIMARY KEY (consumer_group, input_topic, input_partition)
            ) STRICT, WITHOUT ROWID
            """,
            "ALTER TABLE outbox ADD COLUMN claim_group TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE outbox ADD COLUMN claim_topic TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE outbox ADD COLUMN claim_partition INTEGER NOT NULL DEFAULT -1",
            "ALTER TABLE outbox ADD COLUMN claim_epoch INTEGER NOT NULL DEFAULT 0",
        ])

    static let partitionClaimsPostgres = SchemaMigration(
        version: partitionClaimsVersion, name: partitionClaimsName,
        statements: [
            """
            CREATE TABLE partition_claims (
                consumer_group text COLLATE "C" NOT NULL,
                input_topic text COLLATE "C" NOT NULL,
                input_partition bigint NOT NULL,
                epoch bigint NOT NULL,
                writer text NOT NULL,
                claimed_at bigint NOT NULL,
                PRIMARY KEY (consumer_group, input_topic, input_partition)
            )
            """,
            "ALTER TABLE outbox ADD COLUMN claim_group text COLLATE \"C\" NOT NULL DEFAULT ''",
            "ALTER TABLE outbox ADD COLUMN claim_topic text COLLATE \"C\" NOT NULL DEFAULT ''",
            "ALTER TABLE outbox ADD COLUMN claim_partition bigint NOT NULL DEFAULT -1",
            "ALTER TABLE outbox ADD COLUMN claim_epoch bigint NOT NULL DEFAULT 0",
        ])
}
