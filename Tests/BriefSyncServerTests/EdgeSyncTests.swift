import BriefSyncModel
import BriefSyncServer
import Foundation
import GRDB
import TestSupport
import Testing

@testable import BriefSyncClient

/// Lossless edges through a real briefd on loopback: refusals, replays, team changes, sizes.
@Suite(.serialized) struct EdgeSyncTests {

    /// A viewer's refused edit whose push answer was lost: the replayed push answers with the
    /// rejection and the server's record, so the screen goes back to the server's text.
    @Test(arguments: TestBackend.all) func replayedRefusalCarriesTheServerRecord(_ backend: TestBackend) async throws {
        let h = try await Harness.start(backend)
        defer { Task { await h.stop() } }
        try await h.members([("ed", "analysts", .editor), ("vi", "analysts", .viewer)])
        let (e, se) = try await h.replica("ed")
        let (v, sv) = try await h.replica("vi")
        let id = try e.importBriefings([("p", Samples.plain)])[0]
        _ = try await se.sync()
        _ = try await sv.sync()
        let original = try v.detail(id).sections[1].text
        try v.edit(id, section: "Key Topics", text: "A viewer's refused text.")
        let lossy = SyncClient(replica: v, transport: DroppingTransport(h.transport, allow: 0, loseResponses: true))
        await #expect(throws: ClientError.self) { try await lossy.sync() }
        #expect(try v.detail(id).sections[1].text == "A viewer's refused text.")
        let summary = try await sv.sync()
        #expect(summary.rejected.count == 1)
        #expect(summary.rejected[0].description.contains("is viewer"))
        #expect(try v.detail(id).sections[1].text == original)
        let refused = try v.rejectedChanges()
        #expect(refused.map(\.fields) == [["section.key-topics.text": "A viewer's refused text."]])
        #expect(refused.map(\.onServer) == [true])
        #expect(try v.status().pending == 0 && v.status().rejected == 1)
    }

    /// A user in two teams who logged in without choosing one: briefings are refused for lack
    /// of a team; logging in with a team rewrites them and their annotations, and they land whole.
    @Test(arguments: TestBackend.all) func choosingATeamLaterSendsEarlierWorkWhole(_ backend: TestBackend) async throws
    {
        let h = try await Harness.start(backend)
        defer { Task { await h.stop() } }
        try await h.members([("al", "red", .editor), ("al", "blue", .editor), ("bo", "red", .viewer)])
        let (a, sa) = try await h.replica("al", team: nil)
        let id = try a.importBriefings([("p", Samples.plain)], tags: ["grain"])[0]
        let note = try a.annotate(id, quote: "workmanlike", note: "tone", kind: nil)
        let first = try await sa.sync()
        #expect(first.rejected.count == 2)
        #expect(first.rejected[0].description.contains("has no team"))
        #expect(try a.detail(id).title == "Grain Corridor Talks Resume")  // never replaced by a partial copy
        try await sa.login(user: "al", password: Harness.password, team: "red")
        #expect(try a.status().rejected == 0)
        #expect(try a.pendingMutations().map(\.delta.id) == [id, note])
        let second = try await sa.sync()
        #expect(second.rejected.isEmpty && second.pushed == 2)
        let (b, sb) = try await h.replica("bo", team: "red")
        _ = try await sb.sync()
        #expect(try b.detail(id) == a.detail(id))
        #expect(try b.detail(id).annotations.map(\.note) == ["tone"])
        #expect(try b.detail(id).tags == ["grain"])
    }

    /// A briefing queued for a team the user has left goes to the team of the new login.
    @Test(arguments: TestBackend.all) func unpushedWorkFollowsAChangeOfTeam(_ backend: TestBackend) async throws {
        let h = try await Harness.start(backend)
        defer { Task { await h.stop() } }
        try await h.members([("al", "red", .editor), ("al", "blue", .editor)])
        let (a, sa) = try await h.replica("al", team: "red")
        let id = try a.importBriefings([("p", Samples.plain)])[0]
        #expect(try a.detail(id).team == "red")
        try await h.server.store.setMember(team: "red", user: "al", role: nil)
        try await sa.login(user: "al", password: Harness.password, team: "blue")
        #expect(try a.detail(id).team == "blue")
        let summary = try await sa.sync()
        #expect(summary.rejected.isEmpty && summary.pushed == 1)
        // A briefing of a team the user still belongs to is left alone.
        let kept = try a.importBriefings([("m", Samples.markdown)], team: "blue")[0]
        try await sa.login(user: "al", password: Harness.password, team: "blue")
        #expect(try a.detail(kept).team == "blue")
    }

    /// An oversize change queued by an older version never blocks the outbox: sync sets it
    /// aside with the reason and sends what came after it.
    @Test(arguments: TestBackend.all) func anOversizeQueuedChangeIsSetAsideAndTheRestSyncs(_ backend: TestBackend)
        async throws
    {
        let h = try await Harness.start(backend)
        defer { Task { await h.stop() } }
        try await h.members([("al", "analysts", .editor)])
        let (a, sa) = try await h.replica("al")
        let id = try a.importBriefings([("p", Samples.plain)])[0]
        _ = try await sa.sync()
        // What an older version could queue: one section of 3 MiB.
        var delta = Record(id: id, kind: .briefing)
        delta.set(
            "section.key-topics.text", .string(String(repeating: "x", count: 3 << 20)),
            at: Stamp(physical: 1, counter: 0, replica: a.replicaID))
        let big = Mutation(id: "big-mutation-0001", replica: a.replicaID, delta: delta, base: 1)
        try await a.database.write { db in
            try db.execute(
                sql: "INSERT INTO outbox(mutation_id, record_id, body, created) VALUES (?, ?, ?, 0)",
                arguments: [big.id, id, try WireJSON.string(big)])
        }
        _ = try a.annotate(id, quote: "workmanlike", note: "made after", kind: nil)
        let summary = try await sa.sync()
        #expect(summary.pushed == 1)
        #expect(summary.rejected.count == 1)
        #expect(
            summary.rejected[0].description.contains("too large to sync (3.0 MiB; one change may be at most 2.0 MiB)"))
        #expect(try a.status().pending == 0)
        let refused = try a.rejectedChanges()
        #expect(refused.map(\.id) == ["big-mutation-0001"])
        // The server has the note made after it.
        let (b, sb) = try await h.replica("al")
        _ = try await sb.sync()
        #expect(try b.detail(id).annotations.map(\.note) == ["made after"])
        // A change that large is refused when made, with the limit.
        #expect(throws: ClientError.self) {
            try a.edit(id, section: "Key Topics", text: String(repeating: "y ", count: 1_200_000))
        }
    }

    /// A replica without its identity (left by an `init` killed half-way in older versions) is
    /// repaired when opened, and `init` repairs it instead of refusing.
    @Test func aReplicaWithoutIdentityIsRepaired() async throws {
        let dir = TemporaryDirectory("repair")
        defer { dir.remove() }
        for viaInit in [false, true] {
            let home = dir.file("r\(viaInit)")
            let r = try Replica.create(home: home, name: "al")
            _ = try r.importBriefings([("p", Samples.plain)])
            try await r.database.write { db in try db.execute(sql: "DELETE FROM meta WHERE key = 'replica_id'") }
            #expect(r.replicaID == "")
            let repaired = viaInit ? try Replica.create(home: home, name: "al") : try Replica.open(home: home)
            #expect(repaired.replicaID.count == 16)
            #expect(repaired.name == "al")
            #expect(try repaired.list().count == 1)
            #expect(throws: ClientError.self) { try Replica.create(home: home, name: "al") }
        }
        let mode =
            try FileManager.default.attributesOfItem(atPath: dir.file("rtrue/replica.sqlite").path)[
                .posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }
}

@Suite(.serialized) struct ReanchoringSyncTests {
    /// An annotation made on one replica, the paragraph under it moved and reworded on another:
    /// after both sync, every replica places it on the same passage with the same status.
    @Test(arguments: TestBackend.all) func reanchoringAfterAPulledMergeIsTheSameEverywhere(_ backend: TestBackend)
        async throws
    {
        let h = try await Harness.start(backend)
        defer { Task { await h.stop() } }
        try await h.server.addMember("al", password: Harness.password, team: "analysts", role: .editor)
        try await h.server.addMember("bo", password: Harness.password, team: "analysts", role: .editor)
        let (a, sa) = try await h.replica("al")
        let (b, sb) = try await h.replica("bo")
        let id = try a.importBriefings([("p", Samples.plain)])[0]
        _ = try await sa.sync()
        _ = try await sb.sync()
        let note = try a.annotate(
            id, quote: "Shipping insurers have asked for written guarantees", note: "who?", kind: nil)
        // Bob moves the insurers' sentence to Key Topics, rewording one word of it.
        let detail = try b.detail(id)
        let scene = detail.sections[0].text.replacingOccurrences(
            of: "\nShipping insurers have asked for written guarantees before they resume cover.", with: "")
        try b.edit(id, section: detail.sections[0].key, text: scene)
        try b.edit(
            id, section: detail.sections[1].key,
            text: detail.sections[1].text
                + "\nShipping insurers have asked for firm written guarantees before they resume cover.")
        for client in [sa, sb, sa] { _ = try await client.sync() }
        let viewA = try a.detail(id).annotations.first { $0.id == note }
        let viewB = try b.detail(id).annotations.first { $0.id == note }
        #expect(viewA == viewB)
        #expect(viewA?.section == detail.sections[1].key)
        #expect(viewA?.status == "fuzzy")
        #expect(try WireJSON.string(a.detail(id)) == WireJSON.string(b.detail(id)))
    }
}
