import Foundation
import GRDB
import TestSupport
import Testing

@testable import BriefSyncServer

/// The embedded store acknowledges a push only after its commit is durable: `synchronous=FULL`
/// on the connection that writes, from the first open and on every later one.
@Suite struct StoreDurabilityTests {
    @Test func theEmbeddedStoreWritesWithSynchronousFull() throws {
        let dir = TemporaryDirectory("store-durability")
        defer { dir.remove() }
        for _ in 0..<2 {
            let store = try SQLiteSyncStore(folder: dir.url)
            // 2 = FULL (0 OFF, 1 NORMAL).
            #expect(try store.pool.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
        }
    }

    /// The writer does not checkpoint inside its commits, and the checkpointer leaves short logs
    /// alone (copying them forward would cost every quiet commit a second fsync, the new log's
    /// header): after three small writes the file alone (its WAL left behind) lacks the third;
    /// once a commit leaves 1,000 frames or more, the checkpointer copies every commit over.
    @Test func theCheckpointerCopiesTheLogOnceItIsLong() async throws {
        let dir = TemporaryDirectory("store-checkpoint")
        defer { dir.remove() }
        let store = try SQLiteSyncStore(folder: dir.url)
        #expect(try await store.pool.write { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == 0)
        #expect(store.checkpointer.threshold == 1_000)
        for i in 1...3 {
            try await store.write { try $0.setMeta("checkpoint-test", "write \(i)") }
        }
        await store.checkpointer.settled()
        #expect(try Self.fileAlone(dir, key: "checkpoint-test") == nil)
        // 5 MB in one value: ~1,250 overflow pages in one commit.
        try await store.write { try $0.setMeta("large", String(repeating: "x", count: 5_000_000)) }
        await store.checkpointer.settled()
        #expect(try Self.fileAlone(dir, key: "checkpoint-test") == "write 3")
        #expect(try Self.fileAlone(dir, key: "large")?.count == 5_000_000)
    }

    /// `key`'s value in a copy of the database file made without its WAL.
    static func fileAlone(_ dir: TemporaryDirectory, key: String) throws -> String? {
        let copy = dir.file("alone-\(UUID().uuidString).sqlite")
        try FileManager.default.copyItem(at: dir.url.appendingPathComponent("briefd.sqlite"), to: copy)
        let alone = try DatabaseQueue(path: copy.path)
        return try alone.read { try String.fetchOne($0, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
    }
}
