import BriefSyncModel
import Foundation
import GRDB
import TestSupport
import Testing

@testable import BriefSyncClient

/// A pulled record kept as the server sent it is stored as the text received (and its rows as
/// derived when its page was decoded); one merged with changes still queued here is written out
/// and indexed from the merge. Texts are bound by their length.
@Suite struct PulledStateTests {
    let dir = TemporaryDirectory("pulled-state")
    let note = ServerNote.id

    /// `record`'s JSON as another writer might send it: spaced out, members in reverse order.
    func spacedOut(_ record: BriefSyncModel.Record) throws -> String {
        guard case .object(let o) = try JSONParser.parse(WireJSON.bytes(record)) else { return "" }
        let members = try o.keys.sorted(by: >).map { "\n  \"\($0)\" : \(try WireJSON.string(o[$0]!))" }
        return "{" + members.joined(separator: " ,") + "\n}"
    }

    func page(_ seq: Int64, _ record: BriefSyncModel.Record) -> Wire.PullResponse {
        Wire.PullResponse(
            records: [Wire.PulledRecord(seq: seq, record: record)], cursor: "e.\(seq)", more: false, acked: [])
    }

    /// The records whose indexed texts match `query` (the full-text index alone: the search
    /// command also needs the briefing).
    func matches(_ replica: Replica, _ query: String) throws -> [String] {
        try replica.read {
            try String.fetchAll(
                $0,
                sql: """
                    SELECT d.record_id FROM search JOIN search_docs d ON d.rowid = search.rowid
                    WHERE search MATCH ?
                    """, arguments: [query])
        }
    }

    func storedState(_ replica: Replica) throws -> String? {
        try replica.read { try String.fetchOne($0, sql: "SELECT state FROM records WHERE id = ?", arguments: [note]) }
    }

    @Test func aRecordKeptAsSentIsStoredAsTheTextReceived() throws {
        defer { dir.remove() }
        let replica = try Replica.create(home: dir.url, name: "alice", now: { 1_800_000_001_000 })
        let v1 = ServerNote.version("first words", at: 1_800_000_000_000)
        let text = try spacedOut(v1)
        #expect(text != (try WireJSON.string(v1)))
        _ = try replica.applyPull(page(1, v1), rows: [RecordRows(v1, state: text)], ours: [])
        #expect(try storedState(replica) == text)
        #expect(try replica.read { try RecordStore.load($0, id: note) } == v1)
        #expect(try matches(replica, "first") == [note])

        // Rows that do not match the page's records one for one are not used.
        let v2 = BriefSyncModel.Record.merge(v1, ServerNote.version("second words", at: 1_800_000_000_100))
        _ = try replica.applyPull(
            page(2, v2), rows: [RecordRows(v2, state: text), RecordRows(v2, state: text)], ours: [])
        #expect(try storedState(replica) == (try WireJSON.string(v2)))
    }

    @Test func aRecordMergedWithQueuedChangesIsWrittenFromTheMerge() throws {
        defer { dir.remove() }
        let replica = try Replica.create(home: dir.url, name: "alice", now: { 1_800_000_001_000 })
        let v1 = ServerNote.version("first words", at: 1_800_000_000_000)
        _ = try replica.applyPull(page(1, v1), rows: [RecordRows(v1, state: try spacedOut(v1))], ours: [])
        try replica.setNote(note, text: "mine, not pushed yet")

        // The server's next version changes the kind only; the queued note is merged back in.
        var kindOnly = BriefSyncModel.Record(id: note, kind: .annotation)
        kindOnly.fields[Annotation.Field.kind] = Register(
            .string("question"), at: Stamp(physical: 1_800_000_000_200, counter: 0, replica: "server-side"))
        let v2 = BriefSyncModel.Record.merge(v1, kindOnly)
        _ = try replica.applyPull(page(2, v2), rows: [RecordRows(v2, state: try spacedOut(v2))], ours: [])
        let stored = try #require(try storedState(replica))
        let record = try WireJSON.decode(BriefSyncModel.Record.self, from: stored)
        #expect(stored == (try WireJSON.string(record)))
        #expect(Annotation(record: record)?.note == "mine, not pushed yet")
        #expect(Annotation(record: record)?.kind == .question)
        // Indexed from the merge too, not from the rows derived from the server's version.
        #expect(try matches(replica, "pushed") == [note])
        #expect(try matches(replica, "first") == [])
    }

    /// A note holding a NUL is indexed whole: text was bound up to its first NUL before.
    @Test func aTextWithANulIsIndexedWhole() throws {
        defer { dir.remove() }
        let replica = try Replica.create(home: dir.url, name: "alice", now: { 1_800_000_001_000 })
        let text = "before\u{0}after the nul"
        _ = try replica.applyPull(page(1, ServerNote.version(text, at: 1_800_000_000_000)), ours: [])
        #expect(
            try replica.read {
                try Int.fetchOne(
                    $0, sql: "SELECT length(CAST(text AS BLOB)) FROM search_docs WHERE record_id = ?", arguments: [note]
                )
            } == text.utf8.count)
        #expect(try matches(replica, "after") == [note])
    }
}
