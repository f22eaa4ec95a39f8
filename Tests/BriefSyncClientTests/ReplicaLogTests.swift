import BriefSyncModel
import Foundation
import GRDB
import TestSupport
import Testing

@testable import BriefSyncClient

/// A writer closes without copying its log into `replica.sqlite` (``ReplicaLog``): its commits
/// are read from the log by every later connection; a log of 1 MiB or more is folded back and
/// truncated at close, unless another connection is reading.
@Suite struct ReplicaLogTests {
    /// Titles in the database file alone: a copy of it without the log.
    private func titlesInTheFileAlone(_ file: String) throws -> [String] {
        let copy = file + ".alone"
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: file, toPath: copy)
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) } }
        return try DatabaseQueue(path: copy).read {
            try String.fetchAll($0, sql: "SELECT title FROM records WHERE kind = 'briefing' ORDER BY title")
        }
    }

    private func logSize(_ file: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: ReplicaLog.logPath(URL(fileURLWithPath: file))))?[.size]
            as? Int
    }

    @Test func aWriterLeavesItsCommitsInTheLogAndEveryLaterConnectionReadsThem() throws {
        let dir = TemporaryDirectory("log-kept")
        defer { dir.remove() }
        _ = try Replica.create(home: dir.url, name: "alice")
        let file = Replica.databaseURL(home: dir.url).path
        do {
            let replica = try Replica.open(home: dir.url)
            _ = try replica.importBriefings([("b", "Kept in the log\n\nSome text.")])
        }
        // The replica is closed: its commit is in the log, not yet in the file.
        #expect((logSize(file) ?? 0) > 0)
        #expect(try titlesInTheFileAlone(file) == [])
        let reader = try Replica.open(home: dir.url, readOnly: true)
        #expect(reader.database.configuration.readonly)
        #expect(try reader.list().map(\.title) == ["Kept in the log"])
        let writer = try Replica.open(home: dir.url)
        #expect(try writer.list().map(\.title) == ["Kept in the log"])
    }

    /// Six briefings of ~220 kB each through one writer, closed on return: a log over 1 MiB.
    private func writeLargeBriefings(home: URL) throws -> Int {
        let text = String(repeating: "A paragraph of the briefing, long enough to fill pages. ", count: 4_000)
        let replica = try Replica.open(home: home)
        for i in 0..<6 { _ = try replica.importBriefings([("b\(i)", "Briefing \(i)\n\n\(text)")]) }
        return logSize(Replica.databaseURL(home: home).path) ?? 0
    }

    @Test func aLogOfOneMebibyteIsFoldedBackAtClose() throws {
        let dir = TemporaryDirectory("log-folded")
        defer { dir.remove() }
        _ = try Replica.create(home: dir.url, name: "alice")
        let file = Replica.databaseURL(home: dir.url).path
        // Measured before the writer closes (its last reference goes with the helper's return).
        #expect(try writeLargeBriefings(home: dir.url) >= ReplicaLog.foldThreshold)
        #expect(logSize(file) == 0)
        #expect(try titlesInTheFileAlone(file) == (0..<6).map { "Briefing \($0)" })
    }

    /// A reader on an older snapshot when the writer closes: the fold gives up (it never waits
    /// for one — not asserted here, which would take a clock) and the log keeps everything.
    @Test func aReaderOnAnOlderSnapshotKeepsTheLogWhole() throws {
        let dir = TemporaryDirectory("log-reader")
        defer { dir.remove() }
        _ = try Replica.create(home: dir.url, name: "alice")
        let file = Replica.databaseURL(home: dir.url).path
        let other = try DatabaseQueue(path: file)
        let seen = try other.inDatabase { db -> [String] in
            try db.beginTransaction(.deferred)
            defer { try? db.rollback() }
            let before = try String.fetchAll(db, sql: "SELECT title FROM records")
            _ = try writeLargeBriefings(home: dir.url)
            // The close found a reader on an older snapshot: the log could not be truncated.
            #expect((logSize(file) ?? 0) >= ReplicaLog.foldThreshold)
            return before
        }
        #expect(seen == [])
        let reader = try Replica.open(home: dir.url, readOnly: true)
        #expect(try reader.list().count == 6)
    }

    /// A log outlives a replica file deleted by hand (`rm replica.sqlite`): the next `init` must
    /// not replay another database's pages into the new one.
    @Test func aNewReplicaIgnoresTheLogOfADeletedOne() throws {
        let dir = TemporaryDirectory("log-orphan")
        defer { dir.remove() }
        let file = Replica.databaseURL(home: dir.url).path
        do {
            _ = try Replica.create(home: dir.url, name: "alice")
            let replica = try Replica.open(home: dir.url)
            for i in 0..<3 { _ = try replica.importBriefings([("b\(i)", "Old \(i)\n\nSome text.")]) }
        }
        #expect((logSize(file) ?? 0) > 0)
        try FileManager.default.removeItem(atPath: file)
        let fresh = try Replica.create(home: dir.url, name: "bob")
        #expect(try fresh.list().isEmpty)
        #expect(fresh.name == "bob")
        #expect(try fresh.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        let reopened = try Replica.open(home: dir.url, readOnly: true)
        #expect(try reopened.list().isEmpty)
    }
}
