import BriefSyncModel
import Foundation
import GRDB
import Testing

@testable import BriefSyncClient

/// Counts the write transactions a replica commits.
final class CommitCounter: TransactionObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var commits: Int { lock.withLock { count } }
    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { lock.withLock { count += 1 } }
    func databaseDidRollback(_ db: Database) {}
}

/// Issue 12's per-command cost: a sync with nothing to do, and opening a replica, write as
/// little as they can (every commit is an fsync under `synchronous=FULL`).
@Suite struct QuietSyncTests {
    @Test func aSyncWithNothingToDoCommitsOnlyItsTimestamp() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        try await h.members([("alice", "analysts", .owner)])
        let (a, sa) = try await h.replica("alice")
        _ = try a.importBriefings([("p", "Talks\n\nKey Topics\nShipping lanes.\n")])
        _ = try await sa.sync()
        let counter = CommitCounter()
        a.pool.add(transactionObserver: counter, extent: .databaseLifetime)
        let idle = try await sa.sync()
        #expect(idle.pushed == 0 && idle.pulled == 0)
        #expect(counter.commits == 1)  // `last_sync`; no empty push or pull transaction
        // Something to pull is written, of course.
        let (b, sb) = try await h.replica("alice")
        _ = try await sb.sync()
        _ = try b.annotate(try b.list()[0].id, quote: "Shipping", note: "n", kind: nil)
        _ = try await sb.sync()
        let busy = try await sa.sync()
        #expect(busy.pulled == 1 && counter.commits > 2)
    }

    @Test func openingAReplicaWritesNothing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quiet-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Replica.create(home: dir, name: "wes")
        // `PRAGMA data_version` on a connection of its own changes when any other one commits.
        let watch = try DatabaseQueue(path: Replica.databaseURL(home: dir).path)
        // The first open after a clean close lets GRDB write its WAL header (left as it is);
        // from then on, opening is reads only: no identity write, no migration transaction.
        _ = try Replica.open(home: dir)
        let before = try watch.read { try Int.fetchOne($0, sql: "PRAGMA data_version") }
        for _ in 0..<3 {
            let replica = try Replica.open(home: dir)
            #expect(replica.name == "wes")
            _ = try replica.list()
        }
        #expect(try watch.read { try Int.fetchOne($0, sql: "PRAGMA data_version") } == before)
        // A write does show (the check can fail).
        _ = try Replica.open(home: dir).importBriefings([("p", "Talks\n\nText.\n")])
        #expect(try watch.read { try Int.fetchOne($0, sql: "PRAGMA data_version") } != before)
    }
}
