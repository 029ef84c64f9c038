import Foundation

/// A fresh SQLite file path in the temporary folder (remove it with ``removeSQLiteFiles(_:)``).
public func temporarySQLitePath(_ prefix: String = "trialtransit-test") -> String {
    NSTemporaryDirectory() + uniqueName(prefix) + ".sqlite"
}

/// Removes an SQLite file with its WAL and shared-memory files.
public func removeSQLiteFiles(_ path: String) {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}
