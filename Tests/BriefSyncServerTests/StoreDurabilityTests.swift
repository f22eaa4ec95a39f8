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

    /// The writer does not checkpoint inside its commits; the checkpointer copies every commit into
    /// the database file beside it: once it has settled, the file alone (its WAL left behind)
    /// holds the last write.
    @Test func theCheckpointerCopiesCommitsIntoTheDatabaseFile() async throws {
        let dir = TemporaryDirectory("store-checkpoint")
        defer { dir.remove() }
        let store = try SQLiteSyncStore(folder: dir.url)
        #expect(try await store.pool.write { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == 0)
        for i in 1...3 {
            try await store.write { try $0.setMeta("checkpoint-test", "write \(i)") }
        }
        await store.checkpointer.settled()
        let copy = dir.file("alone.sqlite")
        try FileManager.default.copyItem(at: dir.url.appendingPathComponent("briefd.sqlite"), to: copy)
        let alone = try DatabaseQueue(path: copy.path)
        let value = try await alone.read {
            try String.fetchOne($0, sql: "SELECT value FROM meta WHERE key = 'checkpoint-test'")
        }
        #expect(value == "write 3")
    }
}
