import BriefSyncModel
import Foundation
import GRDB
import TestSupport
import Testing

@testable import BriefSyncClient

/// A pulled version the record's row holds exactly is stored once: the row keeps it (its seq and
/// fields; migration v11) until the record changes or goes, when it is copied into `history` first.
@Suite struct HistoryStateTests {
    let dir = TemporaryDirectory("history-state")
    let note = ServerNote.id

    func pull(_ replica: Replica, _ records: [(Int64, BriefSyncModel.Record)]) throws {
        _ = try replica.applyPull(
            Wire.PullResponse(
                records: records.map { Wire.PulledRecord(seq: $0.0, record: $0.1) },
                cursor: "e.\(records.last!.0)", more: false, acked: [], teams: []), ours: [])
    }

    /// Each version's stored state by seq: a `history` row's, or '' for the one the record's row keeps.
    func stored(_ replica: Replica) throws -> [Int64: String] {
        try replica.read { db in
            var out: [Int64: String] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, state FROM history WHERE record_id = ?1
                    UNION ALL SELECT version_seq, '' FROM records WHERE id = ?1 AND version_seq IS NOT NULL
                    """, arguments: [note])
            {
                out[row["seq"]] = row["state"]
            }
            return out
        }
    }

    @Test func aVersionSharesTheRecordsStateUntilTheRecordChanges() throws {
        defer { dir.remove() }
        let replica = try Replica.create(home: dir.url, name: "alice", now: { 1_800_000_001_000 })
        let v1 = ServerNote.version("first words", at: 1_800_000_000_000)
        let v2 = BriefSyncModel.Record.merge(v1, ServerNote.version("second words", at: 1_800_000_000_100))
        try pull(replica, [(1, v1)])
        #expect(try stored(replica) == [1: ""])
        #expect(try replica.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM history") } == 0)
        #expect(try replica.log(note).versions.map(\.fields) == [v1.fields.keys.sorted()])
        #expect(try replica.read { try Replica.lastPulled($0, id: note) } == v1)
        // The push answer's path: version 1 plus a change, read through the shared row.
        let change = ServerNote.version("changed here", at: 1_800_000_000_050)
        #expect(
            try replica.read { try Replica.state($0, of: change, after: 1) } == BriefSyncModel.Record.merge(v1, change))

        // A newer version: the older one gets its own copy before the row is overwritten.
        try pull(replica, [(2, v2)])
        #expect(try stored(replica) == [1: try WireJSON.string(v1), 2: ""])
        #expect(try replica.patches(note).map(\.version) == [1, 2])
        #expect(try replica.patches(note).last?.changes.map(\.field) == ["note"])

        // A local change: version 2 keeps its state, and a revert to it finds it.
        try replica.setNote(note, text: "mine")
        #expect(try stored(replica) == [1: try WireJSON.string(v1), 2: try WireJSON.string(v2)])
        try replica.revert(note, to: 2)
        #expect(
            Annotation(record: try #require(try replica.read { try RecordStore.load($0, id: note) }))?.note
                == "second words")

        // A version pulled while a change is queued (the note, which this version leaves alone)
        // is not the row's state: stored whole.
        var kindOnly = BriefSyncModel.Record(id: note, kind: .annotation)
        kindOnly.fields[Annotation.Field.kind] = Register(
            .string("question"), at: Stamp(physical: 1_800_000_000_200, counter: 0, replica: "server-side"))
        let v3 = BriefSyncModel.Record.merge(v2, kindOnly)
        try pull(replica, [(3, v3)])
        #expect(try stored(replica)[3] == (try WireJSON.string(v3)))
        #expect(try replica.read { try Replica.lastPulled($0, id: note) } == v3)
    }

    @Test func aRecordThatGoesKeepsItsVersions() throws {
        defer { dir.remove() }
        let replica = try Replica.create(home: dir.url, name: "alice", now: { 1_800_000_001_000 })
        let v1 = ServerNote.version("first words", at: 1_800_000_000_000)
        try pull(replica, [(1, v1)])
        try replica.database.write { try RecordStore.erase($0, id: note) }
        #expect(try stored(replica) == [1: try WireJSON.string(v1)])
        // Pulled again, it is compared with the version kept, not taken for a new record: its
        // version lists only the field that changed.
        var noteOnly = BriefSyncModel.Record(id: note, kind: .annotation)
        noteOnly.fields[Annotation.Field.note] = Register(
            .string("second words"), at: Stamp(physical: 1_800_000_000_200, counter: 0, replica: "server-side"))
        try pull(replica, [(2, BriefSyncModel.Record.merge(v1, noteOnly))])
        #expect(try replica.log(note).versions.map(\.fields) == [v1.fields.keys.sorted(), [Annotation.Field.note]])
    }

    /// A replica made before v11 kept the version its row holds as a `history` row with an empty
    /// state: opening it moves that version into the row, and `brief log` reads the same versions.
    @Test func aReplicaFromBeforeV11KeepsItsVersions() throws {
        defer { dir.remove() }
        let v1 = ServerNote.version("first words", at: 1_800_000_000_000)
        let v2 = BriefSyncModel.Record.merge(v1, ServerNote.version("second words", at: 1_800_000_000_100))
        let log: [VersionView]
        do {
            let replica = try Replica.create(home: dir.url, name: "alice", now: { 1_800_000_001_000 })
            try pull(replica, [(1, v1)])
            try pull(replica, [(2, v2)])
            log = try replica.log(note).versions
            try replica.database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO history(record_id, seq, user, at, fields, state)
                        SELECT id, version_seq, NULL, updated, version_fields, '' FROM records WHERE id = ?;
                        DROP VIEW versions;
                        ALTER TABLE records DROP COLUMN version_seq;
                        ALTER TABLE records DROP COLUMN version_fields;
                        DELETE FROM grdb_migrations WHERE identifier = 'v11-version-in-row';
                        """, arguments: [note])
            }
        }
        let reopened = try Replica.open(home: dir.url, now: { 1_800_000_001_000 })
        #expect(try stored(reopened) == [1: try WireJSON.string(v1), 2: ""])
        #expect(try reopened.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM history WHERE state = ''") } == 0)
        #expect(try reopened.log(note).versions == log)
        #expect(log.map(\.version) == [1, 2])
        #expect(try reopened.patches(note).last?.changes.map(\.field) == ["note"])
        try reopened.setNote(note, text: "mine")
        #expect(try stored(reopened) == [1: try WireJSON.string(v1), 2: try WireJSON.string(v2)])
    }
}
