import BriefSyncModel
import Foundation
import GRDB
import TestSupport
import Testing

@testable import BriefSyncClient

/// Every commit of a replica is durable when it returns: `synchronous=FULL` on the connection
/// that writes.
@Suite struct DurabilityTests {
    @Test func theReplicaWritesWithSynchronousFull() throws {
        let dir = TemporaryDirectory("durability")
        defer { dir.remove() }
        let created = try Replica.create(home: dir.url, name: "alice")
        let opened = try Replica.open(home: dir.url)
        // 2 = FULL (0 OFF, 1 NORMAL).
        for replica in [created, opened] {
            #expect(try replica.database.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
        }
    }

    /// A command that writes runs its own transaction and nothing else: the schema version stays
    /// put (a `DatabasePool` wrote and dropped a throwaway table at every open that found no WAL
    /// file, and every other connection, `sync --watch`'s included, then re-read the schema).
    @Test func commandsThatWriteLeaveTheSchemaVersionAlone() throws {
        let dir = TemporaryDirectory("schema-version")
        defer { dir.remove() }
        _ = try Replica.create(home: dir.url, name: "alice")
        let file = Replica.databaseURL(home: dir.url).path
        func schemaVersion() throws -> Int? {
            try DatabaseQueue(path: file).read { try Int.fetchOne($0, sql: "PRAGMA schema_version") }
        }
        let before = try schemaVersion()
        for i in 0..<3 {
            let replica = try Replica.open(home: dir.url)
            _ = try replica.importBriefings([("b\(i)", "Briefing \(i)\n\nSome text.")], title: nil, tags: [])
        }
        #expect(try schemaVersion() == before)
        let titles = try DatabaseQueue(path: file).read {
            try String.fetchAll($0, sql: "SELECT title FROM records ORDER BY title")
        }
        #expect(titles == ["Briefing 0", "Briefing 1", "Briefing 2"])
    }

    /// A writer killed mid-transaction in rollback-journal mode leaves a hot journal; a command
    /// that only reads must still open the replica (read-write, which rolls the journal back)
    /// and see the last committed state, not "attempt to write a readonly database".
    @Test func aHotJournalIsRolledBackByACommandThatOnlyReads() throws {
        let dir = TemporaryDirectory("hot-journal")
        defer { dir.remove() }
        let original = dir.url.appendingPathComponent("original")
        let crashed = dir.url.appendingPathComponent("crashed")
        let id = try Replica.create(home: original, name: "alice").replicaID
        let file = Replica.databaseURL(home: original)
        try DatabaseQueue(path: file.path).writeWithoutTransaction {
            try $0.execute(sql: "PRAGMA journal_mode = DELETE")
        }
        try FileManager.default.createDirectory(at: crashed, withIntermediateDirectories: true)
        // The copy is taken inside an open transaction whose pages have spilled to the file:
        // what a kill at that moment leaves on disk.
        try DatabaseQueue(path: file.path).inTransaction { db in
            try db.execute(sql: "PRAGMA cache_size = 1")
            try db.execute(sql: "UPDATE meta SET value = 'torn' WHERE key = 'replica_id'")
            try db.execute(sql: "CREATE TABLE filler(x)")
            for _ in 0..<200 { try db.execute(sql: "INSERT INTO filler VALUES (randomblob(1000))") }
            for suffix in ["", "-journal"] {
                try FileManager.default.copyItem(
                    atPath: file.path + suffix, toPath: Replica.databaseURL(home: crashed).path + suffix)
            }
            return .rollback
        }
        let reader = try Replica.open(home: crashed, readOnly: true)
        #expect(reader.replicaID == id)
        #expect(!FileManager.default.fileExists(atPath: Replica.databaseURL(home: crashed).path + "-journal"))
    }
}
