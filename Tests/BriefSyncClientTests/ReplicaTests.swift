import BriefSyncModel
import Foundation
import GRDB
import TestSupport
import Testing

@testable import BriefSyncClient

/// Replica behaviour on real SQLite files.
@Suite struct ReplicaTests {
    let dir = TemporaryDirectory("replica")

    func makeReplica(name: String = "alice", now: Int64 = 1_700_000_000_000) throws -> Replica {
        try Replica.create(home: dir.url, name: name, now: { now })
    }

    func count(_ replica: Replica, _ sql: String) throws -> Int {
        try replica.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    @Test func secondInitRefusesAndChangesNothing() throws {
        defer { dir.remove() }
        let replica = try makeReplica()
        let id = replica.replicaID
        #expect(throws: ClientError.self) { try Replica.create(home: dir.url, name: "bob") }
        #expect(try Replica.open(home: dir.url).replicaID == id)
        #expect(try Replica.open(home: dir.url).name == "alice")
    }

    @Test func openingAMissingReplicaSuggestsInit() {
        do {
            _ = try Replica.open(home: dir.file("nope"))
            Issue.record("expected an error")
        } catch let error as ClientError {
            #expect(error.code == .notInitialized)
            #expect(error.message.contains("brief init"))
        } catch { Issue.record("\(error)") }
        #expect(!FileManager.default.fileExists(atPath: dir.file("nope").path))
    }

    @Test func usesWALAndForeignKeys() throws {
        defer { dir.remove() }
        let replica = try makeReplica()
        let mode = try replica.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        #expect(try count(replica, "PRAGMA foreign_keys") == 1)
    }

    @Test func importWritesRecordOutboxAndIndexTogether() throws {
        defer { dir.remove() }
        let replica = try makeReplica()
        let ids = try replica.importBriefings([("a", Samples.plain), ("b", Samples.markdown)], tags: ["trade"])
        #expect(ids.count == 2)
        #expect(try count(replica, "SELECT count(*) FROM records") == 2)
        #expect(try count(replica, "SELECT count(*) FROM outbox") == 2)
        #expect(try replica.status().pending == 2)
        #expect(
            try replica.search("insurers").map(\.field) == ["setting-the-scene", "what-to-watch-next"]
                || replica.search("insurers").map(\.field) == ["what-to-watch-next", "setting-the-scene"])
        #expect(Set(try replica.search("insurers").map(\.briefing)) == [ids[0]])
        #expect(try replica.list(tag: "trade").count == 2)
        let outbox = try replica.pendingMutations()
        #expect(outbox.map(\.delta.id) == ids)
        #expect(Briefing(record: outbox[0].delta)?.title == "Grain Corridor Talks Resume")
    }

    @Test func aFailedChangeLeavesNeitherRecordNorOutbox() throws {
        defer { dir.remove() }
        let replica = try makeReplica()
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try replica.change { ctx in
                try ctx.apply(
                    Briefing(id: "0000aaaa-0000-4000-8000-000000000000", title: "T", sections: []).record(
                        at: ctx.stamp()))
                throw Boom()
            }
        }
        #expect(try count(replica, "SELECT count(*) FROM records") == 0)
        #expect(try count(replica, "SELECT count(*) FROM outbox") == 0)
        #expect(try count(replica, "SELECT count(*) FROM search_docs") == 0)
        // A bad document in a batch imports none of the batch.
        #expect(throws: ClientError.self) { try replica.importBriefings([("ok", Samples.plain), ("empty", "  ")]) }
        #expect(try count(replica, "SELECT count(*) FROM records") == 0)
    }

    @Test func everyChangeGoesToTheOutboxWithOnlyWhatChanged() throws {
        defer { dir.remove() }
        let replica = try makeReplica()
        let id = try replica.importBriefings([("a", Samples.plain)])[0]
        try replica.edit(String(id.prefix(6)), section: "Key Topics", text: "Inspection regimes were settled.")
        try replica.tag(id, ["grain"])
        try replica.untag(id, ["grain"])
        let note = try replica.annotate(id, quote: "workmanlike", note: "Tone?", kind: nil, tags: ["tone"])
        try replica.setNote(note, text: "Tone was cordial")
        try replica.remove(note)
        let outbox = try replica.pendingMutations()
        #expect(outbox.count == 7)
        #expect(Set(outbox[1].delta.fields.keys) == ["section.key-topics.text"])
        #expect(outbox[2].delta.tags.elements == ["grain"])
        #expect(outbox[3].delta.tags.removed.count == 1)
        #expect(Set(outbox[5].delta.fields.keys) == ["note"])
        #expect(outbox[6].delta.deleted != nil && outbox[6].delta.fields.isEmpty)
        // Stamps strictly increase even with a frozen wall clock.
        let stamps = outbox.map { $0.delta.latestStamp }
        #expect(stamps == stamps.sorted())
        let detail = try replica.detail(id)
        #expect(detail.sections[1].text == "Inspection regimes were settled.")
        #expect(detail.annotations.isEmpty)
        #expect(detail.tags.isEmpty)
        #expect(try replica.search("cordial").isEmpty)
        #expect(try replica.search("settled").count == 1)
    }

    @Test func annotationsAnchorAndReanchorAfterEdits() throws {
        defer { dir.remove() }
        let replica = try makeReplica()
        let id = try replica.importBriefings([("u", Samples.unicode)])[0]
        let a = try replica.annotate(id, quote: "👩🏽‍💻", note: "who?", kind: .question, section: "risks")
        var view = try replica.detail(id).annotations[0]
        #expect(view.id == a && view.kind == "question" && view.section == "risks")
        #expect(view.start == 15 && view.end == 19)
        try replica.edit(
            id, section: "risks", text: "New first line.\nEmoji in notes 👩🏽‍💻 must keep their code-point offsets.")
        view = try replica.detail(id).annotations[0]
        #expect(view.start == 31 && view.end == 35)
        try replica.edit(id, section: "risks", text: "Gone.")
        view = try replica.detail(id).annotations[0]
        #expect(view.start == nil)
    }

    @Test func quoteErrorsExplainAndChangeNothing() throws {
        defer { dir.remove() }
        let replica = try makeReplica()
        let id = try replica.importBriefings([("p", Samples.plain)])[0]
        #expect(
            throws: ClientError(
                .quoteNotFound,
                "quote \"Inspection regime is\" not found in briefing \(id.prefix(8)); closest passage: \"Inspection regimes\" (character 18: you typed ' ' (U+0020), the text has 's' (U+0073))"
            )
        ) {
            try replica.annotate(id, quote: "Inspection regime is", note: nil, kind: nil)
        }
        do {
            _ = try replica.annotate(id, quote: "Inspection", note: nil, kind: nil)
            Issue.record("expected ambiguity")
        } catch let e as ClientError {
            #expect(e.code == .quoteAmbiguous)
            #expect(e.message.contains("occurs 2 times") && e.message.contains("--occurrence"))
        }
        let second = try replica.annotate(id, quote: "Inspection", note: nil, kind: .watch, occurrence: 2)
        let view = try replica.detail(id).annotations.first { $0.id == second }!
        #expect(view.section == "what-to-watch-next" && view.state == "open")
        #expect(try replica.status().pending == 2)
    }

    @Test func idPrefixesResolveOrExplain() throws {
        defer { dir.remove() }
        let replica = try makeReplica()
        let ids = try replica.importBriefings((0..<40).map { ("d\($0)", Samples.noHeadings) })
        #expect(try replica.detail(String(ids[7].prefix(8))).id == ids[7])
        #expect(throws: ClientError.self) { try replica.detail("abc") }
        try replica.change { ctx in
            for id in ["abcd1111-0000-4000-8000-000000000000", "abcd2222-0000-4000-8000-000000000000"] {
                try ctx.apply(Briefing(id: id, title: id, sections: []).record(at: ctx.stamp()))
            }
        }
        do {
            _ = try replica.detail("ABCD")
            Issue.record("expected ambiguity")
        } catch let e as ClientError {
            #expect(e.code == .ambiguousID)
            #expect(e.message.contains("abcd1111-000") && e.message.contains("abcd2222-000"))
        }
        #expect(try replica.detail("abcd2").id == "abcd2222-0000-4000-8000-000000000000")
    }

    /// Lookups use their index, never a scan of every record (see brief-bench for the timings).
    @Test func lookupsUseTheirIndexes() throws {
        defer { dir.remove() }
        let replica = try makeReplica()
        _ = try replica.importBriefings([("p", Samples.plain)], tags: ["x"])
        func plan(_ sql: String) throws -> String {
            let args = StatementArguments(Array(["a", "b", "briefing"].prefix(sql.filter { $0 == "?" }.count)))
            return try replica.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: args).map { $0["detail"] as String }
                    .joined(separator: "; ")
            }
        }
        #expect(try plan(RecordStore.resolveSQL(kind: true)).contains("sqlite_autoindex_records_1 (id>? AND id<?)"))
        #expect(try plan(RecordStore.resolveSQL(kind: false)).contains("sqlite_autoindex_records_1 (id>? AND id<?)"))
        let annotations = try plan(
            "SELECT state FROM records WHERE briefing = ? AND kind = 'annotation' AND deleted = 0")
        #expect(annotations.contains("records_by_briefing"))
    }

    @Test func replicaSurvivesReopening() throws {
        defer { dir.remove() }
        let id: String
        do {
            let replica = try makeReplica()
            id = try replica.importBriefings([("m", Samples.markdown)], title: "Chips")[0]
            _ = try replica.annotate(id, quote: "Cloud access", note: "new", kind: nil)
        }
        let reopened = try Replica.open(home: dir.url, now: { 1_700_000_000_000 })
        let d = try reopened.detail(id)
        #expect(d.title == "Chips" && d.annotations.count == 1)
        _ = try reopened.annotate(id, quote: "Vendors expect delays", note: nil, kind: nil)
        let stamps = try reopened.pendingMutations().map { $0.delta.latestStamp }
        #expect(stamps == stamps.sorted())
    }
}
