import BriefSyncModel
import Foundation
import GRDB
import TestSupport
import Testing

@testable import BriefSyncClient

/// The full-text index is written by `RecordStore` next to its texts (no triggers since
/// migration v9): after every kind of change it must hold exactly the texts of `search_docs`.
@Suite struct SearchIndexTests {
    let dir = TemporaryDirectory("search-index")

    /// FTS5's own check of the index against `search_docs` (it fails as "database disk image is
    /// malformed" on any text indexed but gone, or present but not indexed).
    func checkIndex(_ replica: Replica) throws {
        try replica.database.write { db in
            try db.execute(sql: "INSERT INTO search(search, rank) VALUES ('integrity-check', 1)")
        }
    }

    func ids(_ hits: [SearchHit]) -> [String] { hits.map { "\($0.id.prefix(8)) \($0.field)" }.sorted() }

    @Test func theIndexFollowsEveryChange() throws {
        defer { dir.remove() }
        let replica = try Replica.create(home: dir.url, name: "alice", now: { 1_700_000_000_000 })
        let ids = try replica.importBriefings([("a", Samples.plain), ("m", Samples.markdown)])
        try checkIndex(replica)
        let grain = ids[0]
        let chips = ids[1]
        #expect(
            self.ids(try replica.search("insurers")) == [
                "\(grain.prefix(8)) setting-the-scene", "\(grain.prefix(8)) what-to-watch-next",
            ])

        try replica.edit(grain, section: "Setting the Scene", text: "Talks moved to Ankara.")
        try checkIndex(replica)
        #expect(self.ids(try replica.search("insurers")) == ["\(grain.prefix(8)) what-to-watch-next"])
        #expect(self.ids(try replica.search("ankara")) == ["\(grain.prefix(8)) setting-the-scene"])

        let note = try replica.annotate(grain, quote: "Ankara", note: "venue change", kind: nil)
        let reply = try replica.reply(to: note, text: "the venue was a surprise")
        try checkIndex(replica)
        #expect(
            self.ids(try replica.search("venue")) == ["\(note.prefix(8)) note", "\(reply.prefix(8)) note"].sorted())
        try replica.setNote(note, text: "moved for security")
        try checkIndex(replica)
        #expect(self.ids(try replica.search("venue")) == ["\(reply.prefix(8)) note"])
        #expect(try replica.remove(note) == .annotation)
        #expect(try replica.remove(chips) == .briefing)
        try checkIndex(replica)
        #expect(try replica.search("security").isEmpty)
        #expect(try replica.search("semiconductor").isEmpty)

        // A pulled version replacing the local one, and a new record, as a sync applies them.
        let pulled = try #require(try replica.read { try RecordStore.load($0, id: grain) })
        var renamed = try #require(Briefing(record: pulled))
        renamed.title = "Grain Talks in Ankara"
        let other = Annotation(
            id: "0000bbbb-0000-4000-8000-000000000000", briefing: grain, kind: .note,
            anchor: nil, note: "pulled from the server", author: "bob")
        let stamp = Stamp(physical: 1_800_000_000_000, counter: 0, replica: "server-side")
        _ = try replica.applyPull(
            Wire.PullResponse(
                records: [
                    Wire.PulledRecord(seq: 1, record: Record.merge(pulled, renamed.record(at: stamp))),
                    Wire.PulledRecord(seq: 2, record: other.record(at: stamp)),
                    // The same new record twice in one page: its texts are replaced, not doubled.
                    Wire.PulledRecord(seq: 3, record: other.record(at: stamp)),
                ], cursor: "e.3", more: false, acked: [], teams: []), ours: [])
        try checkIndex(replica)
        #expect(self.ids(try replica.search("ankara")).contains("\(grain.prefix(8)) title"))
        #expect(self.ids(try replica.search("pulled")) == ["0000bbbb note"])

        // A record only this replica had, dropped with its refused creation.
        try replica.database.write { try RecordStore.erase($0, id: "0000bbbb-0000-4000-8000-000000000000") }
        try checkIndex(replica)
        #expect(try replica.search("pulled").isEmpty)
    }

    /// A briefing of many sections: every text indexed, and an edit replaces just its own.
    @Test func aLongBriefingsTextsAreAllIndexed() throws {
        defer { dir.remove() }
        let replica = try Replica.create(home: dir.url, name: "alice", now: { 1_700_000_000_000 })
        let count = 67
        let document =
            "# Long Report\n\n"
            + (1...count).map { "## Part \($0)\n\nParagraph marker\($0) of the report.\n" }.joined(separator: "\n")
        let id = try replica.importBriefings([("long", document)])[0]
        try checkIndex(replica)
        let texts = try replica.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM search_docs WHERE record_id = ?", arguments: [id])
        }
        #expect(texts == count + 1)
        for n in [1, 32, 33, count] {
            #expect(self.ids(try replica.search("marker\(n)")) == ["\(id.prefix(8)) part-\(n)"])
        }
        try replica.edit(id, section: "Part \(count)", text: "Rewritten.")
        try checkIndex(replica)
        #expect(try replica.search("marker\(count)").isEmpty)
        #expect(self.ids(try replica.search("marker1")) == ["\(id.prefix(8)) part-1"])
    }

    /// Statements shared by a page's saves remember the last text rowid between them; a text
    /// written in between by another path (here a save with its own statements, as a heal or a
    /// merge does) must not be overwritten: the next shared save asks again.
    @Test func savesSharingStatementsSeeTextsWrittenBetweenThem() throws {
        defer { dir.remove() }
        let replica = try Replica.create(home: dir.url, name: "alice", now: { 1_700_000_000_000 })
        let stamp = Stamp(physical: 1_800_000_000_000, counter: 0, replica: "server-side")
        func note(_ n: Int, _ text: String) -> BriefSyncModel.Record {
            Annotation(
                id: "0000ee0\(n)-0000-4000-8000-000000000000", briefing: "b", kind: .note, anchor: nil, note: text,
                author: "bob"
            ).record(at: stamp)
        }
        try replica.database.write { db in
            let shared = try RecordStore.Statements(db)
            try RecordStore.save(db, note(1, "first otter"), isNew: true, statements: shared)
            try RecordStore.save(db, note(2, "second otter"), isNew: true)
            try RecordStore.save(db, note(3, "third otter"), isNew: true, statements: shared)
            // A record without texts keeps what the shared statements know.
            try RecordStore.save(db, note(4, ""), isNew: true, statements: shared)
            try RecordStore.save(db, note(5, "fifth otter"), isNew: true, statements: shared)
        }
        try checkIndex(replica)
        let ranges = try replica.read {
            try Row.fetchAll($0, sql: "SELECT texts_from, texts FROM records WHERE id LIKE '0000ee0%' ORDER BY id")
                .map { [$0[0] as Int64, $0[1] as Int64] }
        }
        #expect(ranges == [[1, 1], [2, 1], [3, 1], [0, 0], [4, 1]])
        let matched = try replica.read {
            try String.fetchAll(
                $0,
                sql: """
                    SELECT d.record_id FROM search JOIN search_docs d ON d.rowid = search.rowid
                    WHERE search MATCH 'otter' ORDER BY d.record_id
                    """)
        }
        #expect(matched.map { String($0.prefix(8)) } == ["0000ee01", "0000ee02", "0000ee03", "0000ee05"])
    }

    /// A replica made before v9 still has the triggers: opening it drops them, and the index
    /// stays whole through later changes (with both, every text would be indexed twice).
    @Test func aReplicaFromBeforeV9LosesItsTriggersOnOpen() throws {
        defer { dir.remove() }
        let id: String
        do {
            let replica = try Replica.create(home: dir.url, name: "alice", now: { 1_700_000_000_000 })
            id = try replica.importBriefings([("a", Samples.plain)])[0]
            try replica.database.write { db in
                try db.execute(
                    sql: """
                        CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
                            INSERT INTO search(rowid, text) VALUES (new.rowid, new.text);
                        END;
                        CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
                            INSERT INTO search(search, rowid, text) VALUES ('delete', old.rowid, old.text);
                        END;
                        DELETE FROM grdb_migrations WHERE identifier = 'v9-search-without-triggers';
                        """)
            }
        }
        let reopened = try Replica.open(home: dir.url, now: { 1_700_000_000_000 })
        let triggers = try reopened.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
        }
        #expect(triggers == 0)
        try reopened.edit(id, section: "Key Topics", text: "Inspection teams were agreed.")
        try checkIndex(reopened)
        #expect(
            self.ids(try reopened.search("agreed")) == [
                "\(id.prefix(8)) key-topics", "\(id.prefix(8)) what-to-watch-next",
            ])
    }

    /// A replica made before v10 found a record's texts through an index on `record_id`; v10
    /// finds them by rowid range. Its texts written apart (here: one moved to the end) are
    /// written again together, and edits afterwards replace exactly their own texts.
    @Test func aReplicaFromBeforeV10FindsEachRecordsTextsByRange() throws {
        defer { dir.remove() }
        let grain: String
        let chips: String
        do {
            let replica = try Replica.create(home: dir.url, name: "alice", now: { 1_700_000_000_000 })
            let ids = try replica.importBriefings([("a", Samples.plain), ("m", Samples.markdown)])
            (grain, chips) = (ids[0], ids[1])
            _ = try replica.annotate(grain, quote: "workmanlike", note: "ask about premiums", kind: nil)
            try replica.database.write { db in
                // Grain's first text moves after every other text, as an old replica's could.
                let moved = try #require(
                    try Row.fetchOne(
                        db,
                        sql: "SELECT rowid, briefing, field, text FROM search_docs WHERE record_id = ? ORDER BY rowid",
                        arguments: [grain]))
                try db.execute(sql: "DELETE FROM search_docs WHERE rowid = ?", arguments: [moved[0]])
                try db.execute(
                    sql: "INSERT INTO search(search, rowid, text) VALUES ('delete', ?, ?)",
                    arguments: [moved[0], moved[3]])
                try db.execute(
                    sql: "INSERT INTO search_docs(record_id, briefing, field, text) VALUES (?, ?, ?, ?)",
                    arguments: [grain, moved[1], moved[2], moved[3]])
                try db.execute(
                    sql: "INSERT INTO search(rowid, text) VALUES (?, ?)", arguments: [db.lastInsertedRowID, moved[3]])
                try db.execute(
                    sql: """
                        DROP INDEX briefings_by_updated;
                        DROP INDEX conflicts_by_deleted;
                        ALTER TABLE records DROP COLUMN texts_from;
                        ALTER TABLE records DROP COLUMN texts;
                        CREATE INDEX records_by_kind ON records(kind, deleted, updated);
                        CREATE INDEX search_docs_by_record ON search_docs(record_id);
                        DELETE FROM grdb_migrations WHERE identifier = 'v10-lean-indexes';
                        """)
            }
        }
        let reopened = try Replica.open(home: dir.url, now: { 1_700_000_000_000 })
        try checkIndex(reopened)
        let (indexes, unfound, total, rows) = try reopened.read { db in
            (
                try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%_by_%' ORDER BY name"),
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM records r WHERE texts != (SELECT count(*) FROM search_docs d
                            WHERE d.rowid BETWEEN r.texts_from AND r.texts_from + r.texts - 1 AND d.record_id = r.id)
                        """),
                try Int.fetchOne(db, sql: "SELECT sum(texts) FROM records"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM search_docs")
            )
        }
        #expect(
            indexes == [
                "briefings_by_updated", "conflicts_by_deleted", "outbox_by_record", "records_by_briefing",
                "tags_by_record",
            ])
        #expect(unfound == 0)
        #expect(total == rows)
        #expect(total == 4 + 4 + 2)  // each briefing's title and three sections; the note and its quote
        try reopened.edit(grain, section: "Setting the Scene", text: "Talks moved to Ankara.")
        try checkIndex(reopened)
        #expect(self.ids(try reopened.search("insurers")) == ["\(grain.prefix(8)) what-to-watch-next"])
        #expect(try reopened.search("premiums").map(\.field) == ["note"])
        #expect(self.ids(try reopened.search("ankara")) == ["\(grain.prefix(8)) setting-the-scene"])
        #expect(try reopened.remove(chips) == .briefing)
        try checkIndex(reopened)
        #expect(try reopened.search("semiconductor").isEmpty)
    }
}
