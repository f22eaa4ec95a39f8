import BriefSyncModel
import Foundation
import GRDB
import TestSupport
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

/// Issue 12's per-command cost: a sync with nothing to do writes as little as it can (every
/// commit is an fsync under `synchronous=FULL`).
@Suite struct QuietSyncTests {
    @Test func aSyncCommitsOnlyWhatItMustWithItsTimestampInTheLast() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        try await h.members([("alice", "analysts", .owner)])
        let (a, sa) = try await h.replica("alice")
        _ = try a.importBriefings([("p", "Talks\n\nKey Topics\nShipping lanes.\n")])
        _ = try await sa.sync()
        let counter = CommitCounter()
        a.database.add(transactionObserver: counter, extent: .databaseLifetime)
        let idle = try await sa.sync()
        #expect(idle.pushed == 0 && idle.pulled == 0)
        #expect(counter.commits == 1)  // `last_sync`; no empty push or pull transaction
        // Something to pull is written, of course.
        let (b, sb) = try await h.replica("alice")
        _ = try await sb.sync()
        _ = try b.annotate(try b.list()[0].id, quote: "Shipping", note: "n", kind: nil)
        _ = try await sb.sync()
        let busy = try await sa.sync()
        // The pulled page and the sync's timestamp share one transaction.
        #expect(busy.pulled == 1 && counter.commits == 2)
        // A push: its results, then the last page (which acknowledges it) with the timestamp.
        _ = try a.annotate(try a.list()[0].id, quote: "lanes", note: "m", kind: nil)
        let before = counter.commits
        let pushed = try await sa.sync()
        #expect(pushed.pushed == 1 && counter.commits - before == 2, "\(counter.commits - before)")
        #expect(try a.status().lastSync != nil && a.status().pending == 0)
    }

    /// A sync's requests share one keep-alive connection (over TLS, one handshake), the prefetched
    /// pull pages included.
    @Test func aSyncUsesOneConnection() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        try await h.members([("alice", "analysts", .owner)])
        let (a, _) = try await h.replica("alice")
        let proxy = try FaultProxy(upstream: h.server.port, odds: .init(), seed: 1, oneAnswerPerConnection: false)
        defer { proxy.stop() }
        var client = SyncClient(replica: a, transport: CurlTransport(server: "http://127.0.0.1:\(proxy.port)"))
        client.batchSize = 2
        client.pageSize = 2
        _ = try a.importBriefings((0..<5).map { ("b\($0)", Samples.plain) })
        let summary = try await client.sync()
        #expect(summary.pushed == 5)
        #expect(proxy.stats.connections == 1, "\(proxy.stats)")
    }
}
