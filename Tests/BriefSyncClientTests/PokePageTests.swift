import BriefSyncModel
import Foundation
import TestSupport
import Testing

@testable import BriefSyncClient

/// What a watching replica does with a poke that carries a pull page (``SyncClient/applyPoke(_:)``):
/// applies it only when it follows on from the replica's own cursor, in its epoch and teams;
/// anything else changes nothing and is pulled as a plain poke would be.
@Suite struct PokePageTests {
    static let epoch = "0a1b2c3d"

    /// A replica that has pulled up to `E.5` of team `analysts`, and a client that never sends.
    func replica(_ dir: TemporaryDirectory) throws -> (Replica, SyncClient) {
        let replica = try Replica.create(home: dir.url, name: "bob")
        try replica.setSyncMeta(["cursor": "\(Self.epoch).5", "epoch": Self.epoch, "teams": "analysts"])
        return (replica, SyncClient(replica: replica, transport: SocketTransport(server: "http://127.0.0.1:9")))
    }

    /// A poke's data: its head naming `from`, then a page holding briefing `b7` at `to`.
    func poke(from: String, to: String, teams: [String] = ["analysts"], page: String? = nil) throws -> String {
        var briefing = BriefSyncModel.Record(id: "b7", kind: .briefing)
        let stamp = Stamp(physical: 1_780_000_000_000, counter: 0, replica: "r-ann")
        briefing.set(Briefing.Field.title, .string("Grain corridor"), at: stamp)
        briefing.set(Briefing.Field.team, .string("analysts"), at: stamp)
        let seq = Int64(to.split(separator: ".").last!)!
        let bytes = Wire.PullResponse.bytes(
            stored: [Wire.StoredRecord(seq: seq, state: try WireJSON.string(briefing))], cursor: to, more: false,
            acked: [], teams: teams, total: nil)
        let head = try WireJSON.string(Wire.Events.Poke(team: "analysts", from: from))
        return head + "\n" + (page ?? String(decoding: bytes, as: UTF8.self))
    }

    @Test func aPageThatFollowsOnIsApplied() throws {
        let dir = TemporaryDirectory("poke-page")
        defer { dir.remove() }
        let (replica, client) = try replica(dir)
        guard
            case .applied(let summary) = try client.applyPoke(try poke(from: "\(Self.epoch).5", to: "\(Self.epoch).7"))
        else {
            Issue.record("the page was not applied")
            return
        }
        #expect(summary.pulled == 1)
        #expect(try replica.list().map(\.title) == ["Grain corridor"])
        #expect(try replica.syncMeta("cursor") == "\(Self.epoch).7")
        // The same poke again: everything in it is here already.
        guard case .current = try client.applyPoke(try poke(from: "\(Self.epoch).5", to: "\(Self.epoch).7")) else {
            Issue.record("a page already held was not taken as current")
            return
        }
    }

    /// A page starting after the replica's cursor (it missed a change), of another epoch (a
    /// restore), of other teams, or unreadable: pulled, and the replica left as it was.
    @Test func aPageThatDoesNotFollowOnIsPulledAndChangesNothing() throws {
        let dir = TemporaryDirectory("poke-page-not")
        defer { dir.remove() }
        let (replica, client) = try replica(dir)
        let cases = [
            try poke(from: "\(Self.epoch).6", to: "\(Self.epoch).7"),
            try poke(from: "ffff0000.5", to: "ffff0000.7"),
            try poke(from: "\(Self.epoch).5", to: "\(Self.epoch).7", teams: ["analysts", "ops"]),
            try poke(from: "\(Self.epoch).5", to: "\(Self.epoch).7", page: "{\"records\":[{\"record\":"),
            try WireJSON.string(Wire.Events.Poke(team: "analysts")),
        ]
        for (i, data) in cases.enumerated() {
            guard case .pull = try client.applyPoke(data) else {
                Issue.record("case \(i) was not pulled")
                continue
            }
        }
        #expect(try replica.list().isEmpty)
        #expect(try replica.syncMeta("cursor") == "\(Self.epoch).5")
        #expect(try replica.syncMeta("teams") == "analysts")
    }
}
