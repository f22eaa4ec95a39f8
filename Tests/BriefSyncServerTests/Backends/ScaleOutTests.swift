import BriefSyncClient
import BriefSyncModel
import BriefSyncPostgres
import BriefSyncServer
import Foundation
import TestSupport
import Testing

/// Several servers on one database, and many writers at once: what a team that outgrew one
/// machine relies on.
@Suite(.serialized) struct ScaleOutTests {
    static let stamp0: Int64 = Int64(Date().timeIntervalSince1970 * 1000)

    /// Writers push new briefings concurrently (through two servers on PostgreSQL) while readers
    /// pull in small pages from their cursors the whole time: every reader ends having seen every
    /// briefing, each once per version, and the sequence numbers are 1…N without a gap. A cursor
    /// that stepped past a change committing later would lose that briefing for good.
    @Test(arguments: TestBackend.all) func everyReaderSeesEveryChangeOfConcurrentWriters(_ backend: TestBackend)
        async throws
    {
        let h = try await Harness.start(backend)
        defer { Task { await h.stop() } }
        let servers = backend == .postgres ? [h.server, try await h.secondServer()] : [h.server]
        defer { if servers.count > 1 { Task { await servers[1].stop() } } }
        let writers = 6
        let batches = 12
        try await h.members(
            (0..<writers).map { ("w\($0)", "analysts", .editor) } + [
                ("r0", "analysts", .viewer), ("r1", "analysts", .viewer),
            ])
        var tokens: [String: String] = [:]
        for name in (0..<writers).map({ "w\($0)" }) + ["r0", "r1"] { tokens[name] = try await h.token(name) }
        let written = Written()
        let readerTokens = [tokens["r0"]!, tokens["r1"]!]
        let writerTokens = (0..<writers).map { tokens["w\($0)"]! }
        try await withThrowingTaskGroup(of: [String: Int].self) { group in
            for w in 0..<writers {
                let token = writerTokens[w]
                let transport = CurlTransport(server: servers[w % servers.count].url)
                group.addTask {
                    for b in 0..<batches {
                        let mutations = (0..<2).map { i in
                            var delta = Record(id: "b-\(w)-\(b)-\(i)", kind: .briefing)
                            let stamp = Stamp(physical: Self.stamp0, counter: 0, replica: "rw\(w)")
                            delta.set(Briefing.Field.title, .string("w\(w) b\(b) i\(i)"), at: stamp)
                            delta.set(Briefing.Field.team, .string("analysts"), at: stamp)
                            return Mutation(id: "m-\(w)-\(b)-\(i)", replica: "rw\(w)", delta: delta)
                        }
                        let body = try WireJSON.data(Wire.PushRequest(mutations: mutations))
                        let (status, data) = try await transport.send(
                            method: "POST", path: "/v1/push", query: [:], body: body, token: token)
                        let results = try WireJSON.decode(Wire.PushResponse.self, from: data).results
                        guard status == 200, results.allSatisfy({ $0.status == .applied }) else {
                            throw CocoaError(
                                .featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "push: \(status)"])
                        }
                        written.add(mutations.map(\.delta.id))
                    }
                    written.writerDone()
                    return [:]
                }
            }
            for r in 0..<2 {
                let token = readerTokens[r]
                let transport = CurlTransport(server: servers[(r + 1) % servers.count].url)
                group.addTask {
                    var cursor = ""
                    var seen: [String: Int] = [:]
                    var finalRound = false
                    while true {
                        // Read "all writers done" before the pull, so the pull that follows sees every commit.
                        let done = written.allDone(writers)
                        let (status, data) = try await transport.send(
                            method: "GET", path: "/v1/pull",
                            query: ["replica": "reader\(r)", "cursor": cursor, "limit": "3"], body: nil, token: token)
                        guard status == 200 else { throw CocoaError(.featureUnsupported) }
                        let page = try WireJSON.decode(Wire.PullResponse.self, from: data)
                        for record in page.records { seen[record.record.id, default: 0] += 1 }
                        cursor = page.cursor
                        if !page.more && finalRound { return seen }
                        if !page.more && done { finalRound = true }
                    }
                }
            }
            var readers: [[String: Int]] = []
            for try await result in group where !result.isEmpty || written.allDone(writers) {
                if !result.isEmpty { readers.append(result) }
            }
            let all = written.ids
            #expect(all.count == writers * batches * 2)
            #expect(readers.count == 2)
            for seen in readers {
                let missing = all.subtracting(seen.keys)
                #expect(
                    missing.isEmpty, "a reader never saw \(missing.count) briefings, e.g. \(missing.sorted().prefix(3))"
                )
                #expect(seen.values.allSatisfy { $0 == 1 })
            }
        }
        // The sequence has no gap and no repeat: 1…N, one version each.
        let count = try await h.server.store.count(after: 0, teams: ["analysts"])
        #expect(count == writers * batches * 2)
        let page = try await h.server.store.pull(
            after: 0, limit: 1_000, teams: ["analysts"], replica: "x", userID: 0)
        let seqs = page.records.map(\.seq)
        let wrong = zip(seqs, 1...).first { $0.0 != Int64($0.1) }
        #expect(
            seqs.count == writers * batches * 2 && wrong == nil,
            "sequence \(wrong.map { "\($0.0) at #\($0.1)" } ?? "short")")
    }

    /// Two servers on one PostgreSQL with clients split between them: they converge; a token
    /// revoked through one is refused by the other at once; the login limit counts across both.
    @Test(.enabled(if: TestBackend.postgresAdmin != nil)) func twoServersActAsOne() async throws {
        let h = try await Harness.start(.postgres)
        defer { Task { await h.stop() } }
        let second = try await h.secondServer()
        defer { Task { await second.stop() } }
        try await h.members([("alice", "analysts", .editor), ("bob", "analysts", .editor)])
        let (a, sa) = try await h.replica("alice")
        let b = try Replica.create(home: h.dir.file("replica-bob-2"), name: "bob")
        let sb = SyncClient(replica: b, transport: CurlTransport(server: second.url))
        try await sb.login(user: "bob", password: Harness.password, team: "analysts")
        let id = try a.importBriefings([("p", Samples.plain)])[0]
        _ = try await sa.sync()
        _ = try await sb.sync()
        _ = try b.annotate(id, quote: "Geneva", note: "from the second server", kind: .question)
        try a.edit(id, section: "Key Topics", text: "Edited through the first server.")
        for _ in 0..<2 {
            _ = try await sb.sync()
            _ = try await sa.sync()
        }
        let views = try [a, b].map { try WireJSON.string($0.detail(id)) }
        #expect(views[0] == views[1])
        #expect(try a.detail(id).annotations.count == 1)
        #expect(try b.detail(id).sections[1].text == "Edited through the first server.")

        // A change pushed through the first server pokes a stream held open on the second.
        let stream = EventTests.Listener(
            CurlTransport(server: second.url).events(path: Wire.Endpoint.events.path(), token: try await h.token("bob"))
        )
        defer { stream.stop() }
        #expect(await stream.wait { stream.received.first?.name == "ready" })
        try await EventTests.push(h, try await h.token("alice"), EventTests.briefing("b-across", team: "analysts"))
        #expect(await stream.wait { stream.pokes == ["analysts"] }, "\(stream.received)")

        // Revoked through the first, refused by the second.
        let token = try await h.token("alice")
        let viaSecond = CurlTransport(server: second.url)
        #expect(
            try await viaSecond.send(method: "GET", path: "/v1/me", query: [:], body: nil, token: token).status == 200)
        #expect(try await h.send("POST", "/v1/logout", nil, token: token).0 == 200)
        #expect(
            try await viaSecond.send(method: "GET", path: "/v1/me", query: [:], body: nil, token: token).status == 401)

        // Five wrong passwords through the first; the sixth, through the second, waits.
        let wrong = try WireJSON.data(Wire.LoginRequest(user: "bob", password: "wrong password"))
        for _ in 0..<5 {
            let (status, _) = try await h.transport.send(
                method: "POST", path: "/v1/login", query: [:], body: wrong, token: nil)
            #expect(status == 401)
        }
        let (status, _) = try await viaSecond.send(
            method: "POST", path: "/v1/login", query: [:], body: wrong, token: nil)
        #expect(status == 429)
    }
}

extension ScaleOutTests {
    /// Four servers starting at once on a new PostgreSQL database: the migrations run once
    /// (under the advisory lock) and all four agree on one epoch.
    @Test(.enabled(if: TestBackend.postgresAdmin != nil)) func serversStartingTogetherMigrateOnce() async throws {
        let admin = try #require(TestBackend.postgresAdmin)
        let name = "briefsync_race_\(UUID().uuidString.prefix(8).lowercased())"
        try await PostgresSyncStore.administer("CREATE DATABASE \(name)", admin: admin)
        defer {
            Task {
                try? await PostgresSyncStore.administer("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", admin: admin)
            }
        }
        let address = PostgresSyncStore.address(admin, database: name)
        let epochs = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let store = try await PostgresSyncStore(address: address)
                    let epoch = try await store.epoch().epoch
                    await store.close()
                    return epoch
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(epochs.count == 4 && Set(epochs).count == 1, "\(epochs)")
    }
}

/// What the writers have had acknowledged, shared with the readers.
final class Written: @unchecked Sendable {
    private let lock = NSLock()
    private var all = Set<String>()
    private var done = 0
    func add(_ ids: [String]) { lock.withLock { all.formUnion(ids) } }
    func writerDone() { lock.withLock { done += 1 } }
    func allDone(_ writers: Int) -> Bool { lock.withLock { done == writers } }
    var ids: Set<String> { lock.withLock { all } }
}
