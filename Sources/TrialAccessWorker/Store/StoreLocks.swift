import TransitStore

/// Serializes writers of shared aggregates across processes.
///
/// A waitlist is shared by patients on different partitions, and a promotion changes another
/// patient's enrollment, so two transactions (two worker processes on one PostgreSQL store) could
/// read the same aggregate and the later commit would silently drop the earlier one's change. Before
/// reading such an aggregate the transaction upserts a lock counter (`setCapacity`, an
/// `INSERT … ON CONFLICT DO UPDATE` in PostgreSQL), which holds that row's lock until it commits or
/// rolls back; a second transaction waits there and then reads the committed value (READ
/// COMMITTED reads afresh per statement). A lock cycle is a PostgreSQL deadlock, reported as a
/// transient `.conflict`, and the worker retries the batch. In SQLite the write lock taken at
/// `BEGIN IMMEDIATE` already serializes everything; the upsert is then a cheap no-op.
///
/// The lock rows hold capacity 0 and are never reserved from; writing them before a domain
/// rejection changes nothing a reader could observe.
struct StoreLocks {
    let transaction: any StoreTransaction

    func lockPatient(_ patientRef: String) throws {
        try transaction.setCapacity(counter: StateKeys.patientLock(patientRef), capacity: 0)
    }

    func lockWaitlist(_ trialID: String) throws {
        try transaction.setCapacity(counter: StateKeys.waitlistLock(trialID), capacity: 0)
    }
}
