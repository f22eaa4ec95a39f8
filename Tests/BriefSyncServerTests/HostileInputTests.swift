import BriefSyncModel
import Foundation
import TestSupport
import Testing

@testable import BriefSyncClient
@testable import BriefSyncServer

#if canImport(Glibc)
    import Glibc
#endif

/// What an ordinary member with hostile intent can send, through a real briefd on loopback.
@Suite(.serialized) struct HostileInputTests {

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    func push(_ h: Harness, _ token: String, _ mutations: [Mutation]) async throws -> (Int, Data) {
        let body = try WireJSON.string(Wire.PushRequest(mutations: mutations))
        let (status, _, data) = try await h.send("POST", "/v1/push", body, token: token)
        return (status, data)
    }

    /// A stamp counter at UInt32.max is refused on push; the server and every member's sync
    /// carry on, and honest writes to the same record still work.
    @Test(arguments: TestBackend.all) func aMaximalStampCounterIsRefusedAndCrashesNobody(_ backend: TestBackend)
        async throws
    {
        let h = try await Harness.start(backend)
        defer { Task { await h.stop() } }
        try await h.members([("eve", "analysts", .editor), ("bob", "analysts", .editor)])
        let token = try await h.token("eve")
        let evil = Stamp(physical: Self.now() + 120_000, counter: .max, replica: "r")
        var delta = Record(id: "b-evil-1", kind: .briefing)
        delta.set(Briefing.Field.title, .string("boom"), at: evil)
        delta.set(Briefing.Field.team, .string("analysts"), at: evil)
        let (status, data) = try await push(h, token, [Mutation(id: "m-evil-1", replica: "r", delta: delta)])
        #expect(status == 200)
        let result = try WireJSON.decode(Wire.PushResponse.self, from: data).results[0]
        #expect(result.status == .rejected)
        #expect(result.reason?.contains("has a counter over 1000000") == true)
        let (b, sb) = try await h.replica("bob")
        let id = try b.importBriefings([("p", Samples.plain)])[0]
        _ = try await sb.sync()
        // An honest replica whose clock met such a counter saturates instead of trapping.
        var almost = Record(id: id, kind: .briefing)
        almost.set(
            Briefing.Field.title, .string("near the edge"),
            at: Stamp(physical: Self.now(), counter: Wire.Validation.maxStampCounter, replica: "r2"))
        let (s2, d2) = try await push(h, token, [Mutation(id: "m-edge-1", replica: "r2", delta: almost)])
        let edge = try WireJSON.decode(Wire.PushResponse.self, from: d2).results[0]
        #expect(s2 == 200 && edge.status == .applied, "\(edge)")
        _ = try await sb.sync()
        try b.edit(id, section: "Key Topics", text: "Still fine.")
        let after = try await sb.sync()
        #expect(after.pushed == 1 && after.rejected.isEmpty)
        #expect(try await h.send("GET", "/healthz", nil, token: nil).0 == 200)
    }

    /// NUL and control characters are refused in every identifier, before any lookup.
    @Test(arguments: TestBackend.all) func controlCharactersInIdentifiersAre400(_ backend: TestBackend) async throws {
        let h = try await Harness.start(backend)
        defer { Task { await h.stop() } }
        try await h.members([("alice", "analysts", .editor)])
        let nul = #"{"user":"alice\u0000x","password":"correct horse battery"}"#
        let (s1, e1, _) = try await h.send("POST", "/v1/login", nul, token: nil)
        #expect(s1 == 400 && e1?.error == "bad_request")
        #expect(e1?.message == "the user name holds the control character U+0000; use printable characters only")
        let token = try await h.token("alice")
        let (a, _) = try await h.replica("alice")
        let id = try a.importBriefings([("p", Samples.plain)])[0]
        _ = try await SyncClient(replica: a, transport: h.transport).sync()
        for bad in ["\(id)\u{0}evil", "id with space", "é-id", String(repeating: "a", count: 129), ""] {
            var delta = Record(id: bad, kind: .briefing)
            delta.set(Briefing.Field.title, .string("alias"), at: Stamp(physical: Self.now(), counter: 0, replica: "r"))
            let (status, data) = try await push(h, token, [Mutation(id: "m-\(bad.count)", replica: "r", delta: delta)])
            #expect(status == 400, "\(bad.debugDescription)")
            #expect(String(decoding: data, as: UTF8.self).contains("nothing was applied"))
        }
        #expect(try a.detail(id).title == "Grain Corridor Talks Resume")
        let (s3, _, _) = try await h.send(
            "GET", "/v1/pull", nil, token: token, query: ["replica": "r\u{7}"])
        #expect(s3 == 400)
        let history = try await h.server.store.history(recordID: id)
        #expect(history?.entries.count == 1)
    }

    /// Attempts are counted before the slow hash, per user and address: 30 concurrent wrong
    /// guesses get exactly 5 password checks; the owner still logs in from another address;
    /// a 429 over HTTP says when to try again.
    @Test(arguments: TestBackend.all) func loginLimitsCountBeforeHashingAndCannotLockOthersOut(_ backend: TestBackend)
        async throws
    {
        let h = try await Harness.start(backend)
        defer { Task { await h.stop() } }
        try await h.members([("owner", "analysts", .owner)])
        let service = InProcessServer(service: SyncService(store: h.server.store, now: { Self.now() }))
        let wrong = Data(#"{"user":"owner","password":"guess"}"#.utf8)
        let statuses = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<30 {
                group.addTask {
                    await service.send(
                        method: "POST", path: "/v1/login", body: wrong, token: nil, client: "203.0.113.9"
                    ).status
                }
            }
            var all: [Int] = []
            for await s in group { all.append(s) }
            return all
        }
        #expect(statuses.filter { $0 == 401 }.count == 5)
        #expect(statuses.filter { $0 == 429 }.count == 25)
        let right = Data(#"{"user":"owner","password":"correct horse battery"}"#.utf8)
        let fromOwner = await service.send(
            method: "POST", path: "/v1/login", body: right, token: nil, client: "198.51.100.7")
        #expect(fromOwner.status == 200)
        let locked = await service.send(
            method: "POST", path: "/v1/login", body: right, token: nil, client: "203.0.113.9")
        #expect(locked.status == 429 && (locked.retryAfter ?? 0) > 0)
        // Over HTTP the 429 carries Retry-After.
        for _ in 0..<5 { _ = try await HTTPProbe.send("POST", h.server.url + "/v1/login", body: wrong) }
        let answer = try await HTTPProbe.send("POST", h.server.url + "/v1/login", body: wrong)
        #expect(answer.status == 429)
        #expect(Int(answer.headers["retry-after"] ?? "") ?? 0 > 0)
    }

    /// Deep nesting and huge arrays are refused before decoding, with a JSON body.
    @Test(arguments: TestBackend.all) func deepAndWideBodiesAreRefusedBeforeDecoding(_ backend: TestBackend)
        async throws
    {
        let h = try await Harness.start(backend)
        defer { Task { await h.stop() } }
        try await h.members([("alice", "analysts", .editor)])
        let deep =
            #"{"user":"#.appending(String(repeating: "[", count: 500)) + String(repeating: "]", count: 500)
            + #","password":"x"}"#
        let (s1, e1, _) = try await h.send("POST", "/v1/login", deep, token: nil)
        #expect(s1 == 400 && e1?.message == "the body is nested more than 32 levels deep; nothing was applied")
        let token = try await h.token("alice")
        let tiny = #"{"id":"m","replica":"r","delta":{"id":"x","kind":"briefing"}}"#
        let wide = #"{"mutations":["# + Array(repeating: tiny, count: 40_000).joined(separator: ",") + "]}"
        let (s2, e2, _) = try await h.send("POST", "/v1/push", wide, token: token)
        #expect(s2 == 413 && e2?.error == "too_large")
        #expect(try await h.send("GET", "/healthz", nil, token: nil).0 == 200)
    }

    /// Team names that are canonically equal (NFC and NFD) are one identity: the second is
    /// refused at creation; a name typed in NFD logs in to the NFC account.
    @Test(arguments: TestBackend.all) func canonicallyEqualNamesAreOneIdentity(_ backend: TestBackend) async throws {
        let h = try await Harness.start(backend)
        defer { Task { await h.stop() } }
        try await h.server.store.addTeam(name: "caf\u{E9}", now: 0)
        await #expect(throws: StoreError.self) { try await h.server.store.addTeam(name: "cafe\u{301}", now: 0) }
        _ = try await h.server.store.addUser(
            name: "Zoe\u{301}", passwordHash: try PasswordHasher.hash(Harness.password), now: 0)
        #expect(try await h.server.store.users().map(\.name) == ["Zo\u{E9}"])
        let body = try WireJSON.string(Wire.LoginRequest(user: "Zoe\u{301}", password: Harness.password))
        #expect(try await h.send("POST", "/v1/login", body, token: nil).0 == 200)
        let role = Authorization.role([Wire.Membership(team: "cafe\u{301}", role: .owner)], team: "caf\u{E9}")
        #expect(role == nil)
    }

    /// A non-member learns nothing from refusals: the same words whatever the record is, and no
    /// team name or kind; a replica's acknowledgements go to its owner only.
    @Test(arguments: TestBackend.all) func nonMembersLearnNothingFromRefusalsOrAcks(_ backend: TestBackend) async throws
    {
        let h = try await Harness.start(backend)
        defer { Task { await h.stop() } }
        try await h.members([("alice", "secret-team", .owner), ("mallory", "other", .editor)])
        let (a, sa) = try await h.replica("alice", team: "secret-team")
        let id = try a.importBriefings([("p", Samples.plain)])[0]
        let note = try a.annotate(id, quote: "workmanlike", note: "private", kind: nil)
        _ = try await sa.sync()
        let token = try await h.token("mallory")
        let stamp = Stamp(physical: Self.now(), counter: 0, replica: "m")
        var reasons: [String] = []
        for (i, (target, kind)) in [
            (id, RecordKind.briefing), (id, .annotation), (note, .annotation), (note, .briefing),
        ]
        .enumerated() {
            var delta = Record(id: target, kind: kind)
            delta.set(kind == .briefing ? Briefing.Field.title : Annotation.Field.note, .string("x"), at: stamp)
            let (_, data) = try await push(h, token, [Mutation(id: "probe-\(i)", replica: "m", delta: delta)])
            let r = try WireJSON.decode(Wire.PushResponse.self, from: data).results[0]
            #expect(r.status == .rejected && r.current == nil)
            reasons.append((r.reason ?? "").replacingOccurrences(of: target, with: "ID"))
        }
        #expect(Set(reasons).count == 1, "\(reasons)")
        #expect(!reasons[0].contains("secret-team") && !reasons[0].contains("annotation"))
        // An annotation on another team's briefing reads like one on no briefing at all.
        var ann = Record(id: "mallory-ann-1", kind: .annotation)
        ann.set(Annotation.Field.briefing, .string(id), at: stamp)
        var ghost = Record(id: "mallory-ann-2", kind: .annotation)
        ghost.set(Annotation.Field.briefing, .string("no-such-briefing"), at: stamp)
        let (_, d1) = try await push(h, token, [Mutation(id: "probe-a", replica: "m", delta: ann)])
        let (_, d2) = try await push(h, token, [Mutation(id: "probe-b", replica: "m", delta: ghost)])
        let r1 = try WireJSON.decode(Wire.PushResponse.self, from: d1).results[0].reason ?? ""
        let r2 = try WireJSON.decode(Wire.PushResponse.self, from: d2).results[0].reason ?? ""
        #expect(
            r1.replacingOccurrences(of: "mallory-ann-1", with: "X")
                == r2.replacingOccurrences(of: "mallory-ann-2", with: "X"))
        // Alice's replica id in mallory's pull: no acknowledgements.
        let (_, _, page) = try await h.send("GET", "/v1/pull", nil, token: token, query: ["replica": a.replicaID])
        #expect(try WireJSON.decode(Wire.PullResponse.self, from: page).acked == [])
    }

    /// Authorship is the signed-in user's; conflicts can be resolved, not deleted or tagged.
    @Test(arguments: TestBackend.all) func authorshipAndConflictRecordsArePoliced(_ backend: TestBackend) async throws {
        let h = try await Harness.start(backend)
        defer { Task { await h.stop() } }
        try await h.members([("ed", "analysts", .editor), ("cal", "analysts", .commenter)])
        let (e, se) = try await h.replica("ed")
        let id = try e.importBriefings([("p", Samples.plain)])[0]
        _ = try await se.sync()
        let token = try await h.token("cal")
        let stamp = Stamp(physical: Self.now(), counter: 0, replica: "c")
        var forged = Record(id: "cal-ann-1", kind: .annotation)
        forged.set(Annotation.Field.briefing, .string(id), at: stamp)
        forged.set(Annotation.Field.note, .string("not mine"), at: stamp)
        forged.set(Annotation.Field.author, .string("ed"), at: stamp)
        let (_, d1) = try await push(h, token, [Mutation(id: "forge-1", replica: "c", delta: forged)])
        let r1 = try WireJSON.decode(Wire.PushResponse.self, from: d1).results[0]
        #expect(r1.status == .rejected && r1.reason?.contains("signed by someone else") == true)
        forged.set(Annotation.Field.author, .string("cal"), at: stamp)
        let (_, d2) = try await push(h, token, [Mutation(id: "forge-2", replica: "c", delta: forged)])
        #expect(try WireJSON.decode(Wire.PushResponse.self, from: d2).results[0].status == .applied)
        // A conflict record, made by the server from two clashing edits.
        let (b, sb) = try await h.replica("ed")
        _ = try await sb.sync()
        try e.edit(id, section: "Key Topics", text: "One.")
        try b.edit(id, section: "Key Topics", text: "Two.")
        _ = try await se.sync()
        _ = try await sb.sync()
        let conflict = try #require(try b.conflicts().first)
        var tomb = Record(id: conflict.id, kind: .conflict)
        tomb.deleted = Stamp(physical: Self.now(), counter: 1, replica: "c")
        let (_, d3) = try await push(h, token, [Mutation(id: "tomb-1", replica: "c", delta: tomb)])
        let r3 = try WireJSON.decode(Wire.PushResponse.self, from: d3).results[0]
        #expect(r3.status == .rejected && r3.reason?.contains("can only be resolved") == true)
    }
}

@Suite struct SlowClientTests {
    /// A raw TCP connection to the server, for requests no HTTP client would send.
    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard fd >= 0, connected == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// A client that stops half-way through a request is disconnected by the idle timeout
    /// instead of holding a connection for ever.
    @Test(arguments: TestBackend.all) func aHalfSentRequestIsClosed(_ backend: TestBackend) async throws {
        var limits = ServerLimits()
        limits.idleTimeout = 1
        let h = try await Harness.start(backend, limits: limits)
        defer { Task { await h.stop() } }
        let fd = try #require(Self.connect(port: h.server.port))
        defer { close(fd) }
        // A safety net only: the assertion is on what the read returns, not on when.
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let partial =
            "POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        _ = partial.withCString { write(fd, $0, strlen($0)) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var total = 0
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 {
                #expect(n == 0, "the server never closed the half-sent request (errno \(errno))")
                break
            }
            total += n
        }
        #expect(try await h.send("GET", "/healthz", nil, token: nil).0 == 200)
    }
}

@Suite struct FullDiskTests {
    /// A server whose disk fills mid-push answers 507 with a JSON body, applies nothing, and
    /// goes on serving; a client whose disk fills gets plain words and keeps what it had.
    @Test func aFullDiskRefusesCleanly() async throws {
        let dir = TemporaryDirectory("full")
        defer { dir.remove() }
        let store = try SQLiteSyncStore(folder: dir.file("server"), maxPages: 60)
        let server = try await EmbeddedServer.startServing(store: store)
        defer { Task { await server.stop() } }
        try await server.addMember("al", password: Harness.password, team: "analysts", role: .editor)
        let replica = try Replica.create(home: dir.file("al"), name: "al")
        let client = SyncClient(replica: replica, transport: CurlTransport(server: server.url))
        try await client.login(user: "al", password: Harness.password, team: "analysts")
        let big = "Big\nBody\n" + String(repeating: "A long line of briefing text that fills pages. ", count: 30_000)
        _ = try replica.importBriefings([("big", big)])
        await #expect(throws: ClientError.self) { _ = try await client.sync() }
        #expect(try replica.status().pending == 1)
        #expect(try replica.status().lastError?.contains("the server's disk is full; nothing was applied") == true)
        let versions = try await store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM versions") }
        #expect(versions == 0)
        #expect(try await HTTPProbe.status(server.url + "/healthz") == 200)

        // The client side: a replica that cannot grow.
        let small = try Replica.open(home: dir.file("al"), maxPages: 8)
        let before = try small.list().count
        do {
            _ = try small.importBriefings([("big2", big)])
            Issue.record("an import into a full replica succeeded")
        } catch {
            let mapped = ClientError.describing(error, replica: dir.file("al").path)
            #expect(mapped?.message.hasPrefix("the disk holding \(dir.file("al").path) is full") == true, "\(error)")
        }
        #expect(try Replica.open(home: dir.file("al")).list().count == before)
    }
}

extension SlowClientTests {
    /// A request that is not HTTP at all gets a 400 with a JSON body too (Hummingbird writes
    /// that answer itself; `ParserErrorBody` gives it words).
    @Test(arguments: TestBackend.all) func garbageGetsA400WithAJSONBody(_ backend: TestBackend) async throws {
        let h = try await Harness.start(backend)
        defer { Task { await h.stop() } }
        let fd = try #require(Self.connect(port: h.server.port))
        defer { close(fd) }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = "NOT HTTP AT ALL\u{1}\r\n\r\n".withCString { write(fd, $0, strlen($0)) }
        var answer = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            answer += buffer[0..<n]
        }
        let text = String(decoding: answer, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 400"), "\(text)")
        #expect(text.lowercased().contains("content-type: application/json"))
        #expect(
            text.hasSuffix(
                #"{"error":"bad_request","message":"the request is not valid HTTP/1.1; check the request line and headers"}"#
            ), "\(text)")
        #expect(try await h.send("GET", "/healthz", nil, token: nil).0 == 200)
    }

    /// A body far over the server's limit (more than the sockets buffer): the server answers
    /// 413 before reading it all and closes; both transports report that answer, not a broken
    /// connection, so a sync can halve its batch (`SyncClient.pushAll`).
    @Test func anOversizeBodyGetsItsAnswerOnBothTransports() async throws {
        var limits = ServerLimits()
        limits.maxBody = 64 * 1024
        let h = try await Harness.start(.sqlite, limits: limits)
        defer { Task { await h.stop() } }
        try await h.members([("alice", "analysts", .editor)])
        let token = try await h.token("alice")
        let body =
            Data(#"{"mutations": [], "pad": ""#.utf8) + Data(repeating: 0x78, count: 16 << 20) + Data(#""}"#.utf8)
        let transports: [any SyncTransport] = [
            SocketTransport(server: h.server.url), CurlTransport(server: h.server.url),
        ]
        for transport in transports {
            let (status, data) = try await transport.send(
                method: "POST", path: "/v1/push", query: [:], body: body, token: token)
            #expect(status == 413, "\(type(of: transport))")
            #expect(try WireJSON.decode(Wire.ErrorBody.self, from: data).error == "too_large")
        }
    }
}
