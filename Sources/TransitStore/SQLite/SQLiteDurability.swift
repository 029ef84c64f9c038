/// When an SQLite commit is on disk (`PRAGMA synchronous`).
///
/// A worker commits its input offsets once the store transaction committed, so the default is
/// ``full``: every commit is synced before its offset can be committed. ``normal`` syncs only at
/// WAL checkpoints: a process crash loses nothing, but a power loss or OS crash can undo the last
/// commits whose offsets were already committed (their effects are then lost). Opt in only where the
/// disk cannot lose power out of order.
public enum SQLiteDurability: String, Sendable, CaseIterable {
    /// `synchronous = FULL`: each commit is synced (the default).
    case full
    /// `synchronous = NORMAL`: synced at checkpoints; faster, not power-loss safe.
    case normal

    var pragma: String {
        switch self {
        case .full: "PRAGMA synchronous = FULL"
        case .normal: "PRAGMA synchronous = NORMAL"
        }
    }
}
