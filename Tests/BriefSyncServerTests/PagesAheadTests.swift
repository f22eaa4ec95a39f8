import BriefSyncClient
import BriefSyncModel
import Foundation
import GRDB
import TestSupport
import Testing

/// A pull requests the pages after the one it is writing as soon as each is decoded, so a
/// clone waits for its own writes, not for the server (issue 12).
@Suite struct PagesAheadTests {
    /// The replica's write lock is held from the first page's answer on: that page cannot be
    /// written until the requests for the two pages after it have gone out. A pull that asked
    /// for fewer pages ahead (one, before) would wait for a lock never given back, and fail once
    /// the replica's busy timeout ran out.
    @Test func theNextPagesAreRequestedWhileAPageWaitsToBeWritten() async throws {
        let h = try await Harness.start()
        defer { Task { [h] in await h.stop() } }
        try await h.members([("alice", "analysts", .owner), ("bob", "analysts", .editor)])
        let (a, sa) = try await h.replica("alice")
        let ids = try a.importBriefings((0..<5).map { ("d\($0)", Samples.noHeadings) })
        _ = try await sa.sync()
        let (b, _) = try await h.replica("bob")
        let held = try HeldWriteLock(Replica.databaseURL(home: b.home).path, releaseAt: SyncClient.pagesAhead)
        var client = SyncClient(replica: b, transport: LockingTransport(inner: h.transport, lock: held))
        client.pageSize = 1
        let summary = try await client.sync()
        #expect(held.pullsWhileHeld == SyncClient.pagesAhead)
        #expect(summary.pulled == 5)
        #expect(try b.list().map(\.id).sorted() == ids.sorted())
    }

    /// Joining a team mid-way starts the pull over, pages already requested thrown away: every
    /// record of both teams arrives, once.
    @Test func aPullStartedOverWithPagesAheadLosesNothing() async throws {
        let h = try await Harness.start()
        defer { Task { [h] in await h.stop() } }
        try await h.members([("alice", "analysts", .owner)])
        try await h.server.addMember("bob", password: Harness.password, team: "other", role: .owner)
        let (a, sa) = try await h.replica("alice")
        let theirs = try a.importBriefings((0..<4).map { ("a\($0)", Samples.noHeadings) })
        _ = try await sa.sync()
        let (b, sb) = try await h.replica("bob", team: "other")
        let mine = try b.importBriefings((0..<3).map { ("b\($0)", Samples.noHeadings) })
        var paged = sb
        paged.pageSize = 1
        _ = try await paged.sync()
        try await h.server.store.setMember(team: "analysts", user: "bob", role: .viewer)
        let s = try await paged.sync()
        #expect(s.pulled == 4)
        #expect(try b.list().map(\.id).sorted() == (theirs + mine).sorted())
    }
}

/// The replica's write lock, taken by a second connection to its file once the first pull
/// request is answered, and given back when `releaseAt` more pull requests have gone out.
final class HeldWriteLock: @unchecked Sendable {
    private let queue: DatabaseQueue
    private let releaseAt: Int
    private let lock = NSLock()
    private var pulls = 0
    private var held = false
    private var whileHeld = 0
    /// Pull requests sent while the lock was held.
    var pullsWhileHeld: Int { lock.withLock { whileHeld } }

    init(_ path: String, releaseAt: Int) throws {
        var config = Configuration()
        config.allowsUnsafeTransactions = true  // the lock outlives the access that took it
        queue = try DatabaseQueue(path: path, configuration: config)
        self.releaseAt = releaseAt
    }

    /// Before a pull request goes out: counts it, and gives the lock back at the `releaseAt`-th
    /// sent while held. Returns whether it is the first.
    func sending() throws -> Bool {
        let (first, release) = lock.withLock { () -> (Bool, Bool) in
            pulls += 1
            guard held else { return (pulls == 1, false) }
            whileHeld += 1
            if whileHeld == releaseAt { held = false }
            return (false, !held)
        }
        if release { try queue.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") } }
        return first
    }

    /// After the first pull request's answer arrived, before the client sees it.
    func take() throws {
        try queue.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        lock.withLock { held = true }
    }
}

/// Passes requests on, telling `lock` about each pull request.
struct LockingTransport: SyncTransport {
    let inner: any SyncTransport
    let lock: HeldWriteLock

    var server: String { inner.server }

    func send(method: String, path: String, query: [String: String], body: Data?, token: String?) async throws -> (
        status: Int, body: Data
    ) {
        let first = path == Wire.Endpoint.pull.template ? try lock.sending() : false
        let answer = try await inner.send(method: method, path: path, query: query, body: body, token: token)
        if first { try lock.take() }
        return answer
    }
}
