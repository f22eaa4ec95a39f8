import BriefSyncModel
import Foundation
import GRDB
import TestSupport
import Testing

@testable import BriefSyncClient

/// A pull of many pages copies its write-ahead log into the database file beside the writer
/// (`PullCheckpoints`), not inside its commits: when it ends every frame is in the file, and the
/// writer's automatic checkpoint is back.
@Suite struct PullCheckpointsTests {
    /// The wal-index header's last valid frame (`mxFrame`, offset 16) and the checkpoint info's
    /// frames copied back (`nBackfill`, offset 96), in the host's byte order (SQLite's
    /// documented WAL-index format), read from the `-shm` file while the replica is open.
    static func walIndex(_ home: URL) throws -> (frames: UInt32, copied: UInt32) {
        let shm = try Data(contentsOf: URL(fileURLWithPath: Replica.databaseURL(home: home).path + "-shm"))
        func word(_ offset: Int) -> UInt32 {
            shm.subdata(in: offset..<offset + 4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        }
        return (word(16), word(96))
    }

    static func automaticCheckpoint(_ replica: Replica) throws -> Int {
        try replica.database.read { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } ?? -1
    }

    @Test func aPullOfManyPagesLeavesItsLogCopied() async throws {
        let h = try await Harness.start()
        defer { Task { [h] in await h.stop() } }
        try await h.members([("alice", "analysts", .owner), ("bob", "analysts", .editor)])
        let (a, sa) = try await h.replica("alice")
        let ids = try a.importBriefings((0..<6).map { ("d\($0)", Samples.noHeadings) })
        _ = try await sa.sync()
        let (b, sb) = try await h.replica("bob")
        var paged = sb
        paged.pageSize = 2
        let summary = try await paged.sync()
        #expect(summary.pulled == 6)
        #expect(try b.list().map(\.id).sorted() == ids.sorted())
        // Far below 1,000 pages: SQLite's own checkpoint would not have copied any of it.
        let log = try Self.walIndex(b.home)
        #expect(log.frames > 0)
        #expect(log.copied == log.frames)
        #expect(try Self.automaticCheckpoint(b) == 1000)

        // A pull of one page leaves the checkpoint to SQLite: the log, started over by the
        // first commit after it was all copied, holds that page's frames, none copied yet.
        _ = try a.importBriefings([("late", Samples.noHeadings)])
        _ = try await sa.sync()
        #expect(try await paged.sync().pulled == 1)
        let after = try Self.walIndex(b.home)
        #expect(after.frames > 0)
        #expect(after.copied == 0)
        #expect(try Self.automaticCheckpoint(b) == 1000)
    }
}
