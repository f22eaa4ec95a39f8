import BriefSyncClient
import BriefSyncModel
import Foundation
import TestSupport
import Testing

@testable import BriefSyncServer

/// Every endpoint × every role (and no membership) × own or someone else's object, over HTTP,
/// against a table written by hand from `Authorization`'s rules. A wrong allow or deny fails.
@Suite(.serialized) struct AuthorizationMatrixTests {
    enum Who: String, CaseIterable { case outsider, viewer, commenter, editor, owner }

    /// What each actor may do; the table is the specification.
    static let expected: [String: Set<Who>] = [
        "pull sees the team's records": [.viewer, .commenter, .editor, .owner],
        "history of a briefing": [.viewer, .commenter, .editor, .owner],
        "edit a briefing": [.editor, .owner],
        "create a briefing in the team": [.editor, .owner],
        "delete a briefing": [.editor, .owner],
        "annotate (own annotation)": [.commenter, .editor, .owner],
        "edit own annotation": [.commenter, .editor, .owner],
        "edit someone else's annotation": [.owner],
        "delete someone else's annotation": [.owner],
        "resolve a conflict": [.commenter, .editor, .owner],
        "add a member": [.owner],
        "remove a member": [.owner],
    ]

    @Test(arguments: TestBackend.all) func everyEndpointRoleAndOwnerMatchesTheTable(_ backend: TestBackend) async throws
    {
        let h = try await Harness.start(backend)
        defer { Task { await h.stop() } }
        try await h.server.addMember("boss", password: Harness.password, team: "t", role: .owner)
        for who in Who.allCases {
            try await h.server.addMember(
                who.rawValue, password: Harness.password, team: who == .outsider ? "elsewhere" : "t",
                role: Wire.Role(rawValue: who.rawValue) ?? .owner)
        }
        try await h.server.addMember("spare", password: Harness.password, team: "elsewhere", role: .viewer)
        let (boss, sync) = try await h.replica("boss", team: "t")
        let (other, otherSync) = try await h.replica("boss", team: "t")
        var cells = 0
        var wrong: [String] = []
        for who in Who.allCases {
            // Fresh objects per actor, made by someone else.
            let ids = try boss.importBriefings([("p", Samples.plain), ("q", Samples.markdown)])
            let theirs = try boss.annotate(ids[0], quote: "workmanlike", note: "boss's note", kind: nil)
            _ = try await sync.sync()
            _ = try await otherSync.sync()
            try boss.edit(ids[0], section: "Key Topics", text: "Side one.")
            try other.edit(ids[0], section: "Key Topics", text: "Side two.")
            _ = try await sync.sync()
            _ = try await otherSync.sync()
            _ = try await sync.sync()
            let conflict = try #require(try boss.conflicts().first { $0.record == ids[0] }).id
            let token = try await h.token(who.rawValue)
            let stamp = { (n: UInt32) in
                Stamp(physical: Int64(Date().timeIntervalSince1970 * 1000), counter: n, replica: "m\(who)")
            }
            func push(_ delta: Record) async throws -> Bool {
                let body = try WireJSON.string(
                    Wire.PushRequest(mutations: [Mutation(id: UUID().uuidString, replica: "m\(who)", delta: delta)]))
                let (status, _, data) = try await h.send("POST", "/v1/push", body, token: token)
                guard status == 200 else { return false }
                return try WireJSON.decode(Wire.PushResponse.self, from: data).results[0].status == .applied
            }
            var did: [String: Bool] = [:]
            let (_, _, page) = try await h.send("GET", "/v1/pull", nil, token: token, query: ["replica": "m\(who)"])
            did["pull sees the team's records"] = try WireJSON.decode(Wire.PullResponse.self, from: page).records
                .contains { $0.record.id == ids[0] }
            did["history of a briefing"] =
                try await h.send("GET", "/v1/records/\(ids[0])/history", nil, token: token)
                .0 == 200
            var edit = Record(id: ids[0], kind: .briefing)
            edit.set(Briefing.Field.title, .string("retitled by \(who)"), at: stamp(0))
            did["edit a briefing"] = try await push(edit)
            var create = Record(id: "new-\(who)", kind: .briefing)
            create.set(Briefing.Field.title, .string("new"), at: stamp(1))
            create.set(Briefing.Field.team, .string("t"), at: stamp(1))
            did["create a briefing in the team"] = try await push(create)
            var delete = Record(id: ids[1], kind: .briefing)
            delete.deleted = stamp(2)
            did["delete a briefing"] = try await push(delete)
            var mine = Record(id: "ann-\(who)", kind: .annotation)
            mine.set(Annotation.Field.briefing, .string(ids[0]), at: stamp(3))
            mine.set(Annotation.Field.note, .string("mine"), at: stamp(3))
            mine.set(Annotation.Field.author, .string(who.rawValue), at: stamp(3))
            did["annotate (own annotation)"] = try await push(mine)
            var mineAgain = Record(id: "ann-\(who)", kind: .annotation)
            mineAgain.set(Annotation.Field.note, .string("mine, edited"), at: stamp(4))
            let editedOwn = try await push(mineAgain)
            did["edit own annotation"] = did["annotate (own annotation)"]! && editedOwn
            var theirsEdit = Record(id: theirs, kind: .annotation)
            theirsEdit.set(Annotation.Field.note, .string("edited by \(who)"), at: stamp(5))
            did["edit someone else's annotation"] = try await push(theirsEdit)
            var theirsDelete = Record(id: theirs, kind: .annotation)
            theirsDelete.deleted = stamp(6)
            did["delete someone else's annotation"] = try await push(theirsDelete)
            var resolve = Record(id: conflict, kind: .conflict)
            resolve.set(Conflict.Field.status, .string("resolved"), at: stamp(7))
            did["resolve a conflict"] = try await push(resolve)
            let member = #"{"role":"viewer"}"#
            did["add a member"] = try await h.send("PUT", "/v1/teams/t/members/spare", member, token: token).0 == 200
            did["remove a member"] = try await h.send("DELETE", "/v1/teams/t/members/spare", nil, token: token).0 == 200
            for (action, allowed) in Self.expected {
                cells += 1
                if did[action] != allowed.contains(who) {
                    wrong.append("\(who.rawValue) / \(action): \(did[action] == true ? "allowed" : "denied")")
                }
            }
        }
        print("authorization matrix: \(cells) cells, \(wrong.count) wrong")
        #expect(cells == Self.expected.count * Who.allCases.count)
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
    }
}
