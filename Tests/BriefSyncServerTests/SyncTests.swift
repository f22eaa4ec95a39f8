import BriefSyncClient
import BriefSyncModel
import BriefSyncServer
import Foundation
import TestSupport
import Testing

/// Sync through a real briefd over loopback HTTP with real SQLite replicas.
@Suite(.serialized) struct SyncTests {
    func members(_ h: Harness, _ list: [(String, String, Wire.Role)]) async throws {
        for (user, team, role) in list {
            try await h.server.addMember(user, password: Harness.password, team: team, role: role)
        }
    }

    @Test(arguments: TestBackend.all) func threeReplicasConvergeAfterOfflineWork(_ backend: TestBackend) async throws {
        let h = try await Harness.start(backend)
        try await members(
            h, [("alice", "analysts", .owner), ("bob", "analysts", .editor), ("cara", "analysts", .commenter)])
        let (a, sa) = try await h.replica("alice")
        let (b, sb) = try await h.replica("bob")
        let (c, sc) = try await h.replica("cara")
        let id = try a.importBriefings([("p", Samples.plain)], tags: ["grain"])[0]
        _ = try await sa.sync()
        _ = try await sb.sync()
        _ = try await sc.sync()
        // Offline work on every replica, including concurrent edits of the same fields.
        try a.edit(id, section: "Key Topics", text: "Alice's version.")
        try a.tag(id, ["urgent"])
        _ = try a.annotate(id, quote: "workmanlike", note: "tone", kind: nil)
        try b.edit(id, section: "Key Topics", text: "Bob's version.")
        try b.untag(id, ["grain"])
        try b.tag(id, ["urgent", "shipping"])
        _ = try c.annotate(id, quote: "Geneva", note: "venue confirmed?", kind: .question)
        for client in [sa, sb, sc, sa, sb, sc] { _ = try await client.sync() }
        let views = try [a, b, c].map { try WireJSON.string($0.detail(id)) }
        #expect(views[0] == views[1] && views[1] == views[2])
        let d = try a.detail(id)
        #expect(d.tags == ["shipping", "urgent"])
        #expect(d.annotations.count == 2)
        #expect(d.sections[1].text == "Bob's version.")  // bob's edit has the later stamp
        #expect(try [a, b, c].map { try $0.status().pending } == [0, 0, 0])
        // The losing edit is kept in the server's history.
        let history = try await h.server.store.history(recordID: id)!
        #expect(
            history.entries.filter { $0.fields.contains("section.key-topics.text") }.map(\.user) == [
                "alice", "alice", "bob",
            ])
        await h.stop()
    }

    @Test(arguments: TestBackend.all) func replayedPushChangesNothingAndGetsTheSameAnswer(_ backend: TestBackend)
        async throws
    {
        let h = try await Harness.start(backend)
        try await members(h, [("alice", "analysts", .owner)])
        let (a, _) = try await h.replica("alice")
        _ = try a.importBriefings([("p", Samples.plain), ("m", Samples.markdown)])
        let token = try await h.token("alice")
        let body = try WireJSON.string(Wire.PushRequest(mutations: try a.pendingMutations()))
        let (s1, _, d1) = try await h.send("POST", "/v1/push", body, token: token)
        let (s2, _, d2) = try await h.send("POST", "/v1/push", body, token: token)
        #expect(s1 == 200 && s2 == 200)
        #expect(d1 == d2)
        let results = try WireJSON.decode(Wire.PushResponse.self, from: d1).results
        #expect(results.map(\.status) == [.applied, .applied] && results.map(\.seq) == [1, 2])
        let page = try await h.server.store.pull(
            after: 0, limit: 10, teams: ["analysts"], replica: a.replicaID, userID: 1)
        #expect(page.records.map(\.seq) == [1, 2])
        await h.stop()
    }

    @Test(arguments: TestBackend.all) func lostPushResponseThenRetryCreatesNoDuplicate(_ backend: TestBackend)
        async throws
    {
        let h = try await Harness.start(backend)
        try await members(h, [("alice", "analysts", .owner), ("bob", "analysts", .editor)])
        let (a, _) = try await h.replica("alice")
        _ = try a.importBriefings([("p", Samples.plain)])
        // The push reaches the server but its answer is lost.
        let lossy = SyncClient(replica: a, transport: DroppingTransport(h.transport, allow: 0, loseResponses: true))
        await #expect(throws: ClientError.self) { try await lossy.sync() }
        #expect(try a.status().pending == 1)
        #expect(try a.status().lastError?.contains("stay queued") == true)
        let retry = SyncClient(replica: a, transport: h.transport)
        let summary = try await retry.sync()
        // Its own briefing came back from the server: not counted as pulled.
        #expect(summary.pushed == 1 && summary.pulled == 0)
        #expect(try a.status().pending == 0)
        let (b, sb) = try await h.replica("bob")
        _ = try await sb.sync()
        #expect(try b.list().count == 1)
        let page = try await h.server.store.pull(after: 0, limit: 10, teams: ["analysts"], replica: "x", userID: 1)
        #expect(page.records.count == 1 && page.records[0].seq == 1)
        await h.stop()
    }

    @Test(arguments: TestBackend.all) func syncInterruptedMidwayFinishesOnTheNextRun(_ backend: TestBackend)
        async throws
    {
        let h = try await Harness.start(backend)
        try await members(h, [("alice", "analysts", .owner), ("bob", "analysts", .editor)])
        let (a, _) = try await h.replica("alice")
        let ids = try a.importBriefings((0..<30).map { ("d\($0)", Samples.noHeadings) })
        for id in ids.prefix(10) { try a.tag(id, ["t"]) }
        var cut = SyncClient(replica: a, transport: DroppingTransport(h.transport, allow: 2))
        cut.batchSize = 7
        await #expect(throws: ClientError.self) { try await cut.sync() }
        #expect(try a.status().pending == 40 - 14)
        var again = SyncClient(replica: a, transport: h.transport)
        again.batchSize = 7
        _ = try await again.sync()
        #expect(try a.status().pending == 0)
        let (b, sb) = try await h.replica("bob")
        var paged = sb
        paged.pageSize = 4  // pagination over many records with a small limit
        let pulled = try await paged.sync()
        #expect(pulled.pulled == 30)
        #expect(try b.list().map(\.id).sorted() == ids.sorted())
        #expect(try b.list(tag: "t").count == 10)
        await h.stop()
    }

    @Test(arguments: TestBackend.all) func rolesAreEnforcedPerMutationWithoutBlockingTheBatch(_ backend: TestBackend)
        async throws
    {
        let h = try await Harness.start(backend)
        try await members(
            h, [("alice", "analysts", .owner), ("vic", "analysts", .viewer), ("cara", "analysts", .commenter)])
        let (a, sa) = try await h.replica("alice")
        let id = try a.importBriefings([("p", Samples.plain)])[0]
        let aliceNote = try a.annotate(id, quote: "workmanlike", note: "mine", kind: nil)
        _ = try await sa.sync()
        let (v, sv) = try await h.replica("vic")
        _ = try await sv.sync()
        try v.edit(id, section: "Key Topics", text: "viewer edit")
        let result = try await sv.sync()
        #expect(result.pushed == 0)
        #expect(
            result.rejected.map(\.description) == [
                "briefing \(id.prefix(8)): your role in team 'analysts' is viewer; to write briefings you need editor or above"
            ])
        #expect(try v.detail(id).sections[1].text.hasPrefix("Inspection regimes"))  // refused change undone locally
        #expect(try v.status().rejected == 1 && v.status().pending == 0)
        let (c, sc) = try await h.replica("cara")
        _ = try await sc.sync()
        try c.edit(id, section: "Key Topics", text: "commenter edit")
        let own = try c.annotate(id, quote: "Geneva", note: "ok", kind: nil)
        try c.setNote(aliceNote, text: "hijacked")
        let r2 = try await sc.sync()
        #expect(r2.pushed == 1 && r2.rejected.count == 2)
        #expect(r2.rejected.contains { $0.description.contains("change another member's annotation") })
        _ = try await sa.sync()
        let d = try a.detail(id)
        #expect(d.annotations.map(\.id).contains(own))
        #expect(d.annotations.first { $0.id == aliceNote }?.note == "mine")
        await h.stop()
    }

    @Test(arguments: TestBackend.all) func nonMembersSeeNothingAndBadTokensGet401(_ backend: TestBackend) async throws {
        let h = try await Harness.start(backend)
        try await members(h, [("alice", "analysts", .owner), ("mallory", "others", .owner)])
        let (a, sa) = try await h.replica("alice")
        let id = try a.importBriefings([("p", Samples.plain)])[0]
        _ = try await sa.sync()
        let (m, sm) = try await h.replica("mallory", team: "others")
        let s = try await sm.sync()
        let visible = try m.list()
        #expect(s.pulled == 0 && visible.isEmpty)
        let token = try await h.token("mallory")
        let (hs, he, _) = try await h.send("GET", "/v1/records/\(id)/history", nil, token: token)
        #expect(hs == 404 && he?.error == "not_found")
        // Writing into another team's briefing is refused.
        var delta = Record(id: id, kind: .briefing)
        delta.set("title", .string("pwned"), at: Stamp(physical: 1, counter: 0, replica: "m"))
        let push = try WireJSON.string(Wire.PushRequest(mutations: [Mutation(id: "m1", replica: "m", delta: delta)]))
        let (ps, _, pd) = try await h.send("POST", "/v1/push", push, token: token)
        #expect(ps == 200)
        let r = try WireJSON.decode(Wire.PushResponse.self, from: pd).results[0]
        #expect(
            r.status == .rejected
                && r.reason
                    == "record \(id) is not in a team you belong to (or does not exist); check the team you logged in with"
                && r.current == nil)
        for path in ["/v1/pull", "/v1/me", "/v1/records/\(id)/history"] {
            let (st, err, _) = try await h.send("GET", path, nil, token: "not-a-token", query: ["replica": "x"])
            #expect(st == 401 && err?.error == "unauthorized", "\(path)")
        }
        // Logout revokes the token; other tokens keep working.
        let aliceToken = try await h.token("alice")
        let (os, _, _) = try await h.send("POST", "/v1/logout", "{}", token: aliceToken)
        let (after, _, _) = try await h.send("GET", "/v1/me", nil, token: aliceToken)
        let (other, _, _) = try await h.send("GET", "/v1/me", nil, token: token)
        #expect(os == 200 && after == 401 && other == 200)
        try await sa.logout()
        await #expect(throws: ClientError.self) { try await sa.sync() }
        await h.stop()
    }

    @Test(arguments: TestBackend.all) func badRequestsGetClearErrorsAndChangeNothing(_ backend: TestBackend)
        async throws
    {
        var limits = ServerLimits()
        limits.maxBody = 64 * 1024
        limits.maxBatch = 3
        let h = try await Harness.start(backend, limits: limits)
        try await members(h, [("alice", "analysts", .owner)])
        let token = try await h.token("alice")
        let m = #"{"id":"m1","replica":"r","delta":{"id":"x","kind":"briefing","fields":{}}}"#
        let cases: [(String, Int, String)] = [
            ("{not json", 400, "not valid JSON"),
            (#"{"mutations": 5}"#, 400, "must be a JSON array"),
            (#"{"mutations": [], "extra": 1}"#, 400, "unknown field 'extra'"),
            (#"{"mutations": [{"id":"m1","replica":"r","delta":{"id":"x","kind":"poem"}}]}"#, 400, "delta.kind"),
            (
                #"{"mutations": [{"id":"m1","replica":"r","delta":{"id":"x","kind":"briefing","fields":{"title":{"v":"t","s":"bad"}}}}]}"#,
                400, "not valid"
            ),
            (#"{"mutations": [\#(m),\#(m),\#(m),\#(m)]}"#, 413, "at most 3"),
            (#"{"mutations": [], "pad": ""# + String(repeating: "x", count: 70_000) + #""}"#, 413, "over 65536 bytes"),
        ]
        for (body, status, text) in cases {
            let (s, e, _) = try await h.send("POST", "/v1/push", body, token: token)
            #expect(s == status, "\(body.prefix(60))")
            #expect(e?.message.contains(text) == true, "\(e?.message ?? "no JSON body") for \(body.prefix(60))")
        }
        let (ls, le, _) = try await h.send("POST", "/v1/login", #"{"user": 1, "password": "x"}"#, token: nil)
        #expect(ls == 400 && le?.message == "'user' has the wrong type: expected String")
        let (qs, _, _) = try await h.send("GET", "/v1/pull", nil, token: token, query: ["replica": "r", "limit": "0"])
        #expect(qs == 400)
        let (cs, ce, _) = try await h.send(
            "GET", "/v1/pull", nil, token: token, query: ["replica": "r", "cursor": "garbage"])
        #expect(cs == 400 && ce?.message.contains("start over") == true)
        let (ts, te, _) = try await h.send("GET", "/v1/pull", nil, token: token, query: ["replica": "r", "total": "2"])
        #expect(ts == 400 && te?.message.contains("total takes only 1") == true)
        let (ns, _, _) = try await h.send("POST", "/v1/push", #"{"epoch": null, "mutations": []}"#, token: token)
        #expect(ns == 400)
        let (es, ee, _) = try await h.send(
            "POST", "/v1/push", #"{"epoch": "elsewhere", "mutations": []}"#, token: token)
        #expect(es == 409 && ee?.error == Wire.ErrorCode.epochChanged)
        let page = try await h.server.store.pull(after: 0, limit: 10, teams: ["analysts"], replica: "r", userID: 1)
        #expect(page.records.isEmpty)
        let (hs, _, hd) = try await h.send("GET", "/healthz", nil, token: nil)
        #expect(hs == 200 && String(decoding: hd, as: UTF8.self) == #"{"status":"ok"}"#)
        let (rs, _, rd) = try await h.send("GET", "/readyz", nil, token: nil)
        #expect(rs == 200 && String(decoding: rd, as: UTF8.self) == #"{"status":"ready"}"#)
        let (ps, _, _) = try await h.send("POST", "/readyz", nil, token: nil)
        #expect(ps == 405)
        await h.stop()
    }

    @Test(arguments: TestBackend.all) func stampsFarInTheFutureAreRejected(_ backend: TestBackend) async throws {
        let h = try await Harness.start(backend)
        try await members(h, [("alice", "analysts", .owner)])
        let token = try await h.token("alice")
        let future = Int64(Date().timeIntervalSince1970 * 1000) + 10 * 60 * 1000
        var b = Briefing(id: "f0000000-0000-4000-8000-000000000000", title: "T", team: "analysts", sections: [])
            .record(at: Stamp(physical: future, counter: 0, replica: "r"))
        b.id = "f0000000-0000-4000-8000-000000000000"
        let body = try WireJSON.string(Wire.PushRequest(mutations: [Mutation(id: "m", replica: "r", delta: b)]))
        let (_, _, d) = try await h.send("POST", "/v1/push", body, token: token)
        let r = try WireJSON.decode(Wire.PushResponse.self, from: d).results[0]
        #expect(r.status == .rejected && r.reason?.contains("ahead of the server clock") == true)
        await h.stop()
    }

    @Test(arguments: TestBackend.all) func onlyOwnersManageMembers(_ backend: TestBackend) async throws {
        let h = try await Harness.start(backend)
        try await members(
            h,
            [
                ("olga", "analysts", .owner), ("vic", "analysts", .viewer), ("ed", "analysts", .editor),
                ("nora", "others", .owner),
            ])
        let (vs, ve, _) = try await h.send(
            "PUT", "/v1/teams/analysts/members/nora", #"{"role":"viewer"}"#, token: try await h.token("vic"))
        #expect(
            vs == 403
                && ve?.message == "your role in team 'analysts' is viewer; to manage members you need owner or above")
        let (es, _, _) = try await h.send(
            "DELETE", "/v1/teams/analysts/members/vic", nil, token: try await h.token("ed"))
        #expect(es == 403)
        let (ns, ne, _) = try await h.send(
            "PUT", "/v1/teams/analysts/members/nora", #"{"role":"owner"}"#, token: try await h.token("nora"))
        #expect(ns == 404 && ne?.error == "not_found")
        let olga = try await h.token("olga")
        let (bs, _, _) = try await h.send("PUT", "/v1/teams/analysts/members/nora", #"{"role":"admin"}"#, token: olga)
        #expect(bs == 400)
        let (os, _, _) = try await h.send(
            "PUT", "/v1/teams/analysts/members/nora", #"{"role":"commenter"}"#, token: olga)
        #expect(os == 200)
        let (ds, _, _) = try await h.send("DELETE", "/v1/teams/analysts/members/vic", nil, token: olga)
        #expect(ds == 200)
        let teams = try await h.server.store.teams().first { $0.name == "analysts" }!
        #expect(teams.members.map(\.user) == ["ed", "nora", "olga"])
        #expect(teams.members.first { $0.user == "nora" }?.role == .commenter)
        await h.stop()
    }

    @Test(arguments: TestBackend.all) func joiningATeamBringsItsOlderRecords(_ backend: TestBackend) async throws {
        let h = try await Harness.start(backend)
        try await members(h, [("alice", "analysts", .owner)])
        try await h.server.addMember("bob", password: Harness.password, team: "other", role: .owner)
        let (a, sa) = try await h.replica("alice")
        let ids = try a.importBriefings([("p", Samples.plain), ("m", Samples.markdown)])
        _ = try await sa.sync()
        let (b, sb) = try await h.replica("bob", team: "other")
        _ = try b.importBriefings([("n", Samples.noHeadings)])
        _ = try await sb.sync()
        #expect(try b.list().count == 1)
        try await h.server.store.setMember(team: "analysts", user: "bob", role: .viewer)
        let s = try await sb.sync()
        #expect(s.pulled == 2)  // the two new ones; bob's own briefing comes back uncounted
        #expect(Set(try b.list().map(\.id)).isSuperset(of: ids))
        await h.stop()
    }

    @Test(arguments: TestBackend.all) func failedLoginsAreRateLimited(_ backend: TestBackend) async throws {
        let h = try await Harness.start(backend)
        try await members(h, [("alice", "analysts", .owner)])
        for _ in 0..<5 {
            let (s, _, _) = try await h.send("POST", "/v1/login", #"{"user":"alice","password":"wrong"}"#, token: nil)
            #expect(s == 401)
        }
        let (s, e, _) = try await h.send(
            "POST", "/v1/login", #"{"user":"alice","password":"\#(Harness.password)"}"#, token: nil)
        #expect(s == 429 && e?.error == "rate_limited")
        await h.stop()
    }
}

/// Conflicts, resolution and history through a real briefd on loopback.
@Suite(.serialized) struct ConflictSyncTests {
    @Test(arguments: TestBackend.all) func clashesBecomeConflictsEveryoneSeesAndOneResolutionEndsEverywhere(
        _ backend: TestBackend
    ) async throws {
        let h = try await Harness.start(backend)
        for (u, r) in [("alice", Wire.Role.owner), ("bob", .editor)] {
            try await h.server.addMember(u, password: Harness.password, team: "analysts", role: r)
        }
        let (a, sa) = try await h.replica("alice")
        let (b, sb) = try await h.replica("bob")
        let id = try a.importBriefings([("p", Samples.plain)])[0]
        _ = try await sa.sync()
        _ = try await sb.sync()
        // Clean merge: different lines of the same section.
        try a.edit(
            id, section: "setting-the-scene",
            text:
                "On 4 March, negotiators met in Istanbul to restart the Black Sea grain corridor. Both delegations described the first session as workmanlike.\nShipping insurers have asked for written guarantees before they resume cover."
        )
        try b.edit(
            id, section: "setting-the-scene",
            text:
                "On 3 March, negotiators met in Istanbul to restart the Black Sea grain corridor. Both delegations described the first session as workmanlike.\nShipping insurers have asked for guarantees in writing."
        )
        // Clash: the same words.
        try a.edit(id, section: "key-topics", text: "Inspection regimes are settled.")
        try b.edit(id, section: "key-topics", text: "Inspection regimes collapsed.")
        for c in [sa, sb, sa] { _ = try await c.sync() }
        let scene = try a.detail(id).sections[0].text
        #expect(
            scene
                == "On 4 March, negotiators met in Istanbul to restart the Black Sea grain corridor. Both delegations described the first session as workmanlike.\nShipping insurers have asked for guarantees in writing."
        )
        let conflicts = try a.conflicts()
        #expect(try b.conflicts() == conflicts)
        #expect(conflicts.count == 1)
        let c = conflicts[0]
        #expect(c.label == "Key Topics" && c.base.hasPrefix("Inspection regimes remain"))
        #expect(Set([c.current.author, c.other.author]) == ["alice", "bob"])
        #expect(
            Set([c.current.text, c.other.text]) == ["Inspection regimes are settled.", "Inspection regimes collapsed."])
        #expect(try a.detail(id).conflicts.map(\.id) == [c.id])
        // Alice keeps hers; after sync the conflict is resolved on bob's replica too.
        #expect(try a.resolve(String(c.id.prefix(8)), .mine) == "Inspection regimes are settled.")
        _ = try await sa.sync()
        _ = try await sb.sync()
        #expect(try b.conflicts().isEmpty)
        #expect(try b.detail(id).sections[1].text == "Inspection regimes are settled.")
        #expect(try WireJSON.string(a.detail(id)) == WireJSON.string(b.detail(id)))
        #expect(throws: ClientError.self) { try a.resolve(c.id, .theirs) }

        // History: every version on the server; revert writes a new one.
        try await sb.fetchHistory(id)
        let log = try b.log(id).versions
        #expect(log.first?.user == "alice" && log.count >= 5)
        try b.revert(id, to: log[0].version)
        _ = try await sb.sync()
        _ = try await sa.sync()
        #expect(
            try a.detail(id).sections[1].text
                == "Inspection regimes remain the main sticking point. Each side wants joint inspection teams in its own ports."
        )
        try await sa.fetchHistory(id)
        #expect(try a.log(id).versions.count == log.count + 1)
        await h.stop()
    }
}
