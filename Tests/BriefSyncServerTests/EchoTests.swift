import BriefSyncModel
import BriefSyncServer
import Foundation
import GRDB
import TestSupport
import Testing

@testable import BriefSyncClient

/// Issue 12's "no echo": a replica's own accepted change is known from the push answer and does
/// not come back in its pull; whenever the server's result is not exactly the replica's version
/// plus its change, the pull brings it as before.
@Suite struct EchoTests {
    @Test(arguments: TestBackend.all) func aReplicasOwnChangesDoNotComeBack(_ backend: TestBackend) async throws {
        let h = try await Harness.start(backend)
        try await h.members([("alice", "analysts", .owner), ("bob", "analysts", .editor)])
        let (a, _) = try await h.replica("alice")
        let (b, sb) = try await h.replica("bob")
        let wire = RecordingTransport(h.transport)
        let sa = SyncClient(replica: a, transport: wire)
        let briefing = try a.importBriefings([("p", Samples.plain)])[0]
        #expect(try await sa.sync().pushed == 1)
        #expect(try wire.pushResults().map(\.after) == [0])
        #expect(try wire.pulls().map(\.have) == ["1"])
        #expect(try wire.pulls().map(\.page.records.count) == [0])
        #expect(try wire.pulls().map(\.page.acked) == [[]])
        #expect(try wire.pulls().last?.page.cursor.hasSuffix(".1") == true, "the cursor moves past what was left out")

        // A new note and two changes of it, offline: three mutations of one record in one push.
        wire.clear()
        let note = try a.annotate(briefing, quote: "grain corridor", note: "first", kind: .watch)
        try a.setNote(note, text: "second")
        try a.setWatchState(note, .closed)
        #expect(try await sa.sync().pushed == 3)
        #expect(try wire.pushResults().map(\.seq) == [2, 3, 4])
        #expect(try wire.pushResults().map(\.after) == [0, 2, 3])
        #expect(try wire.pulls().map(\.have) == ["2-4"])
        #expect(try wire.pulls().map(\.page.records.count) == [0])
        #expect(try wire.pulls().map(\.page.acked) == [[]])
        // What the replica recorded is the server's version, byte for byte.
        let server = try #require(try await h.server.store.history(recordID: note)).entries
        #expect(server.map(\.seq) == [2, 3, 4])
        let held = try a.read { db in
            try String.fetchAll(
                db, sql: "SELECT state FROM history WHERE record_id = ? ORDER BY seq", arguments: [note])
        }
        #expect(held == (try server.map { try WireJSON.string($0.state) }))
        #expect(try a.log(note).versions.map(\.version) == [2, 3, 4])
        let serverSeq = try a.read {
            try Int64.fetchOne($0, sql: "SELECT server_seq FROM records WHERE id = ?", arguments: [note])
        }
        #expect(serverSeq == 4)
        // Nothing more to pull, and the other replica sees the same.
        wire.clear()
        #expect(try await sa.sync().pulled == 0)
        #expect(try wire.pulls().map(\.have) == [nil])
        _ = try await sb.sync()
        #expect(try b.canonicalExport() == a.canonicalExport())
        await h.stop()
    }

    /// Another replica's change merged in between: the answer names a version this replica
    /// never held, so the pull brings the merged record (and the other's change with it).
    @Test(arguments: TestBackend.all) func aChangeMergedWithAnothersComesBackWhole(_ backend: TestBackend) async throws
    {
        let h = try await Harness.start(backend)
        try await h.members([("alice", "analysts", .owner), ("bob", "analysts", .owner)])
        let (a, _) = try await h.replica("alice")
        let (b, sb) = try await h.replica("bob")
        let wire = RecordingTransport(h.transport)
        let sa = SyncClient(replica: a, transport: wire)
        let briefing = try a.importBriefings([("p", Samples.plain)])[0]
        let note = try a.annotate(briefing, quote: "grain corridor", note: "first", kind: .watch)
        _ = try await sa.sync()
        _ = try await sb.sync()
        try b.setWatchState(note, .closed)
        _ = try await sb.sync()  // version 3, which alice has not seen
        wire.clear()
        try a.setNote(note, text: "second")
        _ = try await sa.sync()
        #expect(try wire.pushResults().map(\.after) == [3], "exactly version 3 plus alice's change")
        #expect(try wire.pulls().map(\.have) == [nil], "alice does not hold version 3")
        #expect(try wire.pulls().flatMap(\.page.records).map(\.seq) == [4])
        _ = try await sb.sync()
        #expect(try b.canonicalExport() == a.canonicalExport())
        let mine = try a.annotations(Replica.AnnotationFilter()).first { $0.id == note }
        #expect(mine?.note == "second" && mine?.state == "closed")

        // Both change the note's text at once: a clash, not "exactly": no `after`, the pull
        // brings the merged note and the conflict.
        try b.setNote(note, text: "bob's text")
        _ = try await sb.sync()
        wire.clear()
        try a.setNote(note, text: "alice's text")
        _ = try await sa.sync()
        #expect(try wire.pushResults().map(\.after) == [nil])
        #expect(try wire.pulls().flatMap(\.page.records).count == 2)
        _ = try await sb.sync()
        #expect(try b.canonicalExport() == a.canonicalExport())
        await h.stop()
    }

    /// A replayed push gets its first answer whole, `after` included; and `have` is hostile
    /// input like any other query value.
    @Test func replaysAndBadRangesAreHandled() async throws {
        let h = try await Harness.start()
        try await h.members([("alice", "analysts", .owner)])
        let (a, _) = try await h.replica("alice")
        _ = try a.importBriefings([("p", Samples.plain)])
        let token = try await h.token("alice")
        let body = try WireJSON.string(Wire.PushRequest(mutations: try a.pendingMutations()))
        let (_, _, first) = try await h.send("POST", "/v1/push", body, token: token)
        let (_, _, replay) = try await h.send("POST", "/v1/push", body, token: token)
        #expect(try WireJSON.decode(Wire.PushResponse.self, from: first).results.map(\.after) == [0])
        #expect(replay == first)
        let goodRanges = ["1", "1-1", "1,3-9,11", "5-9223372036854775807"]
        for have in goodRanges {
            let (status, _, _) = try await h.send(
                "GET", "/v1/pull", nil, token: token, query: ["replica": a.replicaID, "have": have])
            #expect(status == 200, "\(have)")
        }
        let tooMany = (1...65).map { String($0 * 2) }.joined(separator: ",")
        let badRanges = [
            "", "0", "-1", "9-5", "1,1", "3,2", "1-2,2-3", "a", "1-", "-", "1--2", "1,", " 1", "+1", "1.5",
            "99999999999999999999", "1\u{0}", tooMany,
        ]
        for have in badRanges {
            let (status, error, _) = try await h.send(
                "GET", "/v1/pull", nil, token: token, query: ["replica": a.replicaID, "have": have])
            #expect(status == 400, "\(have)")
            #expect(error?.message.hasPrefix("have must be") == true, "\(have)")
        }
        await h.stop()
    }
}

extension EchoTests {
    /// A login to an unrelated server forgets the old one's positions: its version numbers would
    /// name other versions there (as bases, and as the `after` of a push answer).
    @Test func anotherServerGetsNoneOfTheOldOnesPositions() async throws {
        let h1 = try await Harness.start()
        let h2 = try await Harness.start()
        for h in [h1, h2] { try await h.members([("alice", "analysts", .owner)]) }
        let (a, sa) = try await h1.replica("alice")
        let briefing = try a.importBriefings([("p", Samples.plain)])[0]
        let note = try a.annotate(briefing, quote: "grain corridor", note: "first", kind: nil)
        _ = try await sa.sync()
        try a.setNote(note, text: "second")
        func positions() throws -> [Int] {
            try a.read { db in
                [
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM history") ?? -1,
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM records WHERE server_seq > 0") ?? -1,
                ]
            } + [try a.pendingMutations().filter { $0.base > 0 }.count]
        }
        #expect(try positions() == [2, 2, 1])
        // The same server again keeps them; another one does not.
        try await SyncClient(replica: a, transport: h1.transport).login(
            user: "alice", password: Harness.password, team: "analysts")
        #expect(try positions() == [2, 2, 1])
        try await SyncClient(replica: a, transport: h2.transport).login(
            user: "alice", password: Harness.password, team: "analysts")
        #expect(try positions() == [0, 0, 0])
        await h1.stop()
        await h2.stop()
    }
}

/// A transport that passes everything to a real one and keeps what went by: each push's answer
/// and each pull's `have` and page.
final class RecordingTransport: SyncTransport, @unchecked Sendable {
    let inner: CurlTransport
    private let lock = NSLock()
    private var exchanges: [(path: String, query: [String: String], body: Data)] = []

    init(_ inner: CurlTransport) { self.inner = inner }

    var server: String { inner.server }

    func send(method: String, path: String, query: [String: String], body: Data?, token: String?) async throws -> (
        status: Int, body: Data
    ) {
        let answer = try await inner.send(method: method, path: path, query: query, body: body, token: token)
        lock.withLock { exchanges.append((path, query, answer.body)) }
        return answer
    }

    func clear() { lock.withLock { exchanges = [] } }

    func pushResults() throws -> [Wire.MutationResult] {
        try lock.withLock { exchanges }.filter { $0.path == Wire.Endpoint.push.template }.flatMap {
            try WireJSON.decode(Wire.PushResponse.self, from: $0.body).results
        }
    }

    func pulls() throws -> [(have: String?, page: Wire.PullResponse)] {
        try lock.withLock { exchanges }.filter { $0.path == Wire.Endpoint.pull.template }.map {
            ($0.query[Wire.SeqRanges.queryName], try WireJSON.decode(Wire.PullResponse.self, from: $0.body))
        }
    }
}
