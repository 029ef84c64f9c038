import Foundation
import Testing
import TransitTestSupport

@testable import TransitStore

/// A commit is on disk before its input's offset is committed: SQLite runs `synchronous = FULL`
/// unless a deployment opts into `NORMAL`.
@Suite("SQLite durability")
struct SQLiteDurabilityTests {
    @Test(arguments: [(SQLiteDurability.full, Int64(2)), (.normal, 1)])
    func synchronousFollowsTheDurability(durability: SQLiteDurability, pragma: Int64) throws {
        let path = NSTemporaryDirectory() + uniqueName("durability") + ".sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let connection = try SQLiteConnection(path: path, durability: durability)
        let value = try connection.withUncached("PRAGMA synchronous", operation: "read synchronous") { statement in
            try statement.step() ? statement.int64(0) : -1
        }
        #expect(value == pragma)
    }

    @Test func fullIsTheDefault() throws {
        let path = NSTemporaryDirectory() + uniqueName("durability") + ".sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let connection = try SQLiteConnection(path: path)
        let value = try connection.withUncached("PRAGMA synchronous", operation: "read synchronous") { statement in
            try statement.step() ? statement.int64(0) : -1
        }
        #expect(value == 2, "FULL")
    }
}
