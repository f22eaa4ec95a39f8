import BriefSyncModel
import Foundation
import GRDB
import TestSupport
import Testing

@testable import BriefSyncClient

/// A clone (a pull from the start with more than one page) indexes its texts once, with its last
/// page (`DeferredIndexes`); a local change between its pages, a kill, or a search before it ends
/// leaves the index exact.
@Suite struct DeferredIndexTests {
    let dir = TemporaryDirectory("deferred-index")
    static let briefing = "0000cccc-0000-4000-8000-000000000000"
    static let stamp = Stamp(physical: 1_800_000_000_000, counter: 0, replica: "server-side")

    static func noteID(_ n: Int) -> String { "0000dd\(n)\(n)-0000-4000-8000-000000000000" }

    static func note(_ n: Int, _ text: String) -> BriefSyncModel.Record {
        Annotation(id: noteID(n), briefing: briefing, kind: .note, anchor: nil, note: text, author: "bob").record(
            at: stamp)
    }

    /// The server's first page (its briefing and two notes) and last (a third note).
    static let first = Wire.PullResponse(
        records: [
            Wire.PulledRecord(
                seq: 1,
                record: Briefing(
                    id: briefing, title: "Arctic Patrols", team: "t",
                    sections: [Section(key: "scene", heading: "Scene", text: "Patrols resume.")]
                ).record(at: stamp)),
            Wire.PulledRecord(seq: 2, record: note(1, "walrus one")),
            Wire.PulledRecord(seq: 3, record: note(2, "walrus two")),
        ], cursor: "e.3", more: true, acked: [], teams: ["t"])
    static let last = Wire.PullResponse(
        records: [Wire.PulledRecord(seq: 4, record: note(3, "walrus three"))], cursor: "e.4", more: false,
        acked: [], teams: ["t"])

    /// FTS5's own check of the index against `search_docs`.
    func checkIndex(_ replica: Replica) throws {
        try replica.database.write {
            try $0.execute(sql: "INSERT INTO search(search, rank) VALUES ('integrity-check', 1)")
        }
    }

    /// The records the index alone matches (`search` would finish a deferred index first).
    func indexed(_ replica: Replica, _ word: String) throws -> [String] {
        try replica.read {
            try String.fetchAll(
                $0,
                sql: """
                    SELECT DISTINCT d.record_id FROM search JOIN search_docs d ON d.rowid = search.rowid
                    WHERE search MATCH ? ORDER BY d.record_id
                    """, arguments: [word])
        }
    }

    func mark(_ replica: Replica) throws -> Int64? { try replica.read { try DeferredIndexes.indexedTo($0) } }

    /// Whether `records_by_briefing` exists (a clone builds it with its last page).
    func byBriefing(_ replica: Replica) throws -> Bool {
        try replica.read {
            try Bool.fetchOne(
                $0, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'records_by_briefing'")
                ?? false
        }
    }

    @Test func aCloneIndexesItsTextsWithItsLastPage() throws {
        defer { dir.remove() }
        let replica = try Replica.create(home: dir.url, name: "alice", now: { 1_800_000_001_000 })
        // Work typed before the first sync, indexed as it was written.
        let mine = try replica.importBriefings([("a", Samples.plain)])[0]
        let texts = try replica.read { try Int64.fetchOne($0, sql: "SELECT count(*) FROM search_docs") }
        _ = try replica.applyPull(Self.first, ours: [])
        #expect(try mark(replica) == texts)
        #expect(try indexed(replica, "walrus").isEmpty)
        #expect(try indexed(replica, "insurers") == [mine])
        // Without `records_by_briefing` until the last page, a briefing still lists its notes.
        #expect(try !byBriefing(replica))
        #expect(try replica.detail(Self.briefing).annotations.map(\.id).sorted() == [Self.noteID(1), Self.noteID(2)])

        // Between the pages: a text the index holds is replaced (its new text is above the mark).
        try replica.edit(mine, section: "Key Topics", text: "Walrus counts were agreed.")
        _ = try replica.applyPull(Self.last, ours: [])
        #expect(try mark(replica) == nil)
        try checkIndex(replica)
        #expect(try byBriefing(replica))
        #expect(
            try replica.detail(Self.briefing).annotations.map(\.id).sorted() == [1, 2, 3].map(Self.noteID))
        #expect(try indexed(replica, "walrus") == [Self.noteID(1), Self.noteID(2), Self.noteID(3), mine].sorted())
        #expect(try replica.search("walrus").map(\.field).sorted() == ["key-topics", "note", "note", "note"])
        #expect(try indexed(replica, "inspection") == [mine])  // What to Watch Next still has it
    }

    @Test func aSearchAfterAnInterruptedCloneFindsEveryText() throws {
        defer { dir.remove() }
        do {
            let replica = try Replica.create(home: dir.url, name: "alice", now: { 1_800_000_001_000 })
            _ = try replica.applyPull(Self.first, ours: [])
            #expect(try mark(replica) == 0)
        }
        // As `brief search` opens it: read-only is refused while the index is unfinished.
        let reopened = try Replica.open(home: dir.url, readOnly: true, now: { 1_800_000_001_000 })
        #expect(try reopened.search("walrus").map(\.id).sorted() == [Self.noteID(1), Self.noteID(2)])
        #expect(try mark(reopened) == nil)
        #expect(try byBriefing(reopened))
        try checkIndex(reopened)
        // The clone's last page, when it comes, indexes its own texts as any page does.
        _ = try reopened.applyPull(Self.last, ours: [])
        try checkIndex(reopened)
        #expect(try indexed(reopened, "walrus") == [Self.noteID(1), Self.noteID(2), Self.noteID(3)])
    }

    /// One page, or a pull that does not start from nothing: texts are indexed as they come.
    @Test func anIncrementalPullIndexesAsItGoes() throws {
        defer { dir.remove() }
        let replica = try Replica.create(home: dir.url, name: "alice", now: { 1_800_000_001_000 })
        var single = Self.first
        single.more = false
        _ = try replica.applyPull(single, ours: [])
        #expect(try indexed(replica, "walrus") == [Self.noteID(1), Self.noteID(2)])
        var next = Self.last
        next.more = true
        _ = try replica.applyPull(next, ours: [])
        #expect(try mark(replica) == nil)
        #expect(try indexed(replica, "walrus") == [Self.noteID(1), Self.noteID(2), Self.noteID(3)])
    }
}
