import BriefSyncModel
import Foundation
import GRDB

/// Reading and writing record rows, with the tag and search rows derived from them.
enum RecordStore {
    static func load(_ db: Database, id: String) throws -> Record? {
        // Cached statements on the hot paths (every pulled record goes through here): preparing
        // SQL anew each time showed in the clone profile (issue 12).
        guard
            let state = try String.fetchOne(
                try db.cachedStatement(sql: "SELECT state FROM records WHERE id = ?"), arguments: [id])
        else {
            return nil
        }
        return try WireJSON.decode(Record.self, from: state)
    }

    static func serverSeq(_ db: Database, id: String) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT server_seq FROM records WHERE id = ?", arguments: [id]) ?? 0
    }

    /// The statements that write a record's rows, looked up once for a transaction that writes
    /// many records (a pulled page) instead of once per statement run.
    struct Statements {
        let upsert: BulkStatement
        let tag: BulkStatement
        let doc: BulkStatement
        let index: BulkStatement
        let lastText: BulkStatement
        /// ``DeferredIndexes/indexedTo(_:)`` when the statements were made (a transaction's).
        let indexedTo: Int64?
        private let texts = LastText()

        /// The last rowid of `search_docs` as the previous save left it, while no row of the
        /// database has changed since (SQLite's count of changed rows says so: any statement,
        /// through any path, that wrote in between makes it ask again). Asking cost a `max(rowid)`
        /// a record: ~20 ms of a 52,000-record clone.
        private final class LastText {
            var rowid: Int64?
            var changes = 0
        }

        /// The last rowid the previous save noted, if nothing changed since.
        func cachedLastText(_ db: Database) -> Int64? {
            texts.changes == db.totalChangesCount ? texts.rowid : nil
        }

        /// Notes the last rowid after a save (`nil`: unknown).
        func noteLastText(_ rowid: Int64?, _ db: Database) {
            texts.rowid = rowid
            texts.changes = db.totalChangesCount
        }

        init(_ db: Database) throws {
            upsert = try BulkStatement(
                db,
                sql: """
                    INSERT INTO records(
                        id, kind, briefing, title, sections, deleted, updated, server_seq, state, on_server,
                        texts_from, texts, version_seq, version_fields)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, COALESCE(?8, 0), ?9, ?10, ?11, ?12, ?13, ?14)
                    ON CONFLICT(id) DO UPDATE SET
                        briefing = excluded.briefing, title = excluded.title, sections = excluded.sections,
                        deleted = excluded.deleted, updated = excluded.updated,
                        server_seq = COALESCE(?8, server_seq), state = excluded.state,
                        on_server = max(on_server, excluded.on_server),
                        texts_from = excluded.texts_from, texts = excluded.texts,
                        version_seq = excluded.version_seq, version_fields = excluded.version_fields
                    """)
            tag = try BulkStatement(db, sql: "INSERT INTO tags(record_id, tag) VALUES (?, ?)")
            doc = try BulkStatement(
                db, sql: "INSERT INTO search_docs(rowid, record_id, briefing, field, text) VALUES (?, ?, ?, ?, ?)")
            index = try BulkStatement(db, sql: "INSERT INTO search(rowid, text) VALUES (?, ?)")
            lastText = try BulkStatement(db, sql: "SELECT coalesce(max(rowid), 0) FROM search_docs")
            indexedTo = try DeferredIndexes.indexedTo(db)
        }
    }

    /// Writes `record`'s state and refreshes its tags and search text; returns the state as
    /// stored (`WireJSON`), for callers that store it again (a pulled version's history).
    /// - Parameters:
    ///   - isNew: the caller knows the replica has no such record yet, so it has no tag or search
    ///     rows to remove (a clone's pulled records: two statements fewer each).
    ///   - onServer: the server holds the record (a pulled one), marked in the same statement.
    ///   - rows: what `record`'s rows hold, when the caller derived it already (a pulled page,
    ///     with the state's JSON as received).
    ///   - version: the pulled version `record` is, exactly (its seq and changed fields), kept in
    ///     the row instead of a `history` row; `nil` when `record` is no server version as it is.
    ///   - statements: the caller's, when it saves many records in one transaction.
    @discardableResult
    static func save(
        _ db: Database, _ record: Record, rows: RecordRows? = nil, serverSeq: Int64? = nil,
        isNew: Bool = false, onServer: Bool = false, version: Version? = nil, statements: Statements? = nil
    )
        throws -> String
    {
        let rows = rows ?? RecordRows(record)
        let state = try rows.state ?? WireJSON.string(record)
        if !isNew {
            try keepVersionStates(db, of: record.id)
            try db.cachedStatement(sql: "DELETE FROM tags WHERE record_id = ?").execute(arguments: [record.id])
            try removeSearchTexts(db, of: record.id)
        }
        let statements = try statements ?? Statements(db)
        // The texts take the rowids after the last one, together: the full-text index keeps
        // them in write order (newest last), and `texts_from`/`texts` find them again.
        let texts = rows.deleted ? [] : rows.texts
        let cached = statements.cachedLastText(db)
        let first = texts.isEmpty ? 0 : try cached ?? statements.lastText.integer()
        guard first < Int64.max - Int64(texts.count) else {
            throw DatabaseError(resultCode: .SQLITE_FULL, message: "no rowid left for a record's search texts")
        }
        let upsert = statements.upsert
        try upsert.bind(1, record.id)
        try upsert.bind(2, record.kind.rawValue)
        try upsert.bind(3, rows.briefing)
        try upsert.bind(4, rows.title)
        try upsert.bind(5, Int64(rows.sections))
        try upsert.bind(6, rows.deleted)
        try upsert.bind(7, rows.updated)
        try upsert.bind(8, serverSeq)
        try upsert.bind(9, state)
        try upsert.bind(10, onServer)
        try upsert.bind(11, texts.isEmpty ? 0 : first + 1)
        try upsert.bind(12, Int64(texts.count))
        try upsert.bind(13, version?.seq)
        try upsert.bind(14, version?.fields)
        try upsert.run()
        guard !rows.deleted else {
            statements.noteLastText(cached, db)
            return state
        }
        for tag in rows.tags {
            try statements.tag.bind(1, record.id)
            try statements.tag.bind(2, tag)
            try statements.tag.run()
        }
        // One statement a row for the index: a statement writing several rows into FTS5 (an
        // `INSERT ... SELECT`) opens a savepoint too, and was measured 1.6x slower for a clone.
        for (offset, text) in texts.enumerated() {
            let doc = statements.doc
            let rowid = first + 1 + Int64(offset)
            try doc.bind(1, rowid)
            try doc.bind(2, record.id)
            try doc.bind(3, rows.briefing)
            try doc.bind(4, text.field)
            try doc.bind(5, text.text)
            try doc.run()
            guard DeferredIndexes.holds(rowid, indexedTo: statements.indexedTo) else { continue }
            try statements.index.bind(1, rowid)
            try statements.index.bind(2, text.text)
            try statements.index.run()
        }
        statements.noteLastText(texts.isEmpty ? cached : first + Int64(texts.count), db)
        return state
    }

    /// A pulled version kept in the record's row (`version_seq`, `version_fields`; migration
    /// v11): the row's `updated` is its time and its `state` its state.
    struct Version {
        var seq: Int64
        /// The names of the fields it changed, as a JSON array (``RecordRows/fieldList(_:)``).
        var fields: String
    }

    /// The version a record's row holds, copied into `history` before the row changes or goes:
    /// every write of `records.state` comes through here (``save(_:_:rows:serverSeq:isNew:onServer:version:statements:)``,
    /// ``erase(_:id:)``). A `history` row of the same version (from the server's history) is kept.
    static func keepVersionStates(_ db: Database, of id: String) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO history(record_id, seq, user, at, fields, state)
                SELECT id, version_seq, NULL, updated, version_fields, state FROM records
                WHERE id = ? AND version_seq IS NOT NULL
                """
        ).execute(arguments: [id])
    }

    /// A version's state, in a query `FROM` ``versions``.
    static let versionState = "h.state"
    /// Every version this replica keeps: `history`'s rows, and those kept in record rows.
    static let versions = "versions h"

    /// The state of version `seq` of record `id`, if this replica holds it.
    static func versionState(_ db: Database, id: String, seq: Int64) throws -> String? {
        try String.fetchOne(
            try db.cachedStatement(sql: "SELECT \(versionState) FROM \(versions) WHERE h.record_id = ? AND h.seq = ?"),
            arguments: [id, seq])
    }

    /// The state of the latest version of record `id` this replica holds below `seq`, if any.
    static func latestVersionState(_ db: Database, id: String, before seq: Int64 = .max) throws -> String? {
        try String.fetchOne(
            try db.cachedStatement(
                sql: """
                    SELECT \(versionState) FROM \(versions)
                    WHERE h.record_id = ? AND h.seq < ? ORDER BY h.seq DESC LIMIT 1
                    """),
            arguments: [id, seq])
    }

    /// Removes a record's texts from `search_docs` and from the full-text index, which this code
    /// keeps in step itself, in the same transaction. Triggers did it until migration v9 and
    /// cost 40 % of a clone's apply (10,000 records: 1,060 ms with them, 650 ms without): a
    /// statement firing a trigger opens a savepoint, and FTS5 writes its pending terms out at
    /// every savepoint, so each text was flushed on its own.
    /// The texts are those in the record's rowid range (the range is the access path; the
    /// record's id is checked on each, so a wrong range never removes another record's text).
    static func removeSearchTexts(_ db: Database, of id: String) throws {
        let removed = try Row.fetchAll(
            try db.cachedStatement(
                sql: """
                    DELETE FROM search_docs WHERE rowid BETWEEN
                        (SELECT texts_from FROM records WHERE id = ?1)
                        AND (SELECT texts_from + texts - 1 FROM records WHERE id = ?1)
                    AND record_id = ?1 RETURNING rowid, text
                    """),
            arguments: [id])
        let indexedTo = removed.isEmpty ? nil : try DeferredIndexes.indexedTo(db)
        for row in removed where DeferredIndexes.holds(row[0], indexedTo: indexedTo) {
            try db.cachedStatement(sql: "INSERT INTO search(search, rowid, text) VALUES ('delete', ?, ?)").execute(
                arguments: [row[0] as Int64, row[1] as String])
        }
    }

    /// Forgets the versions a record row keeps whose seq is above `seq` (all with 0), as `history`
    /// rows are forgotten: their numbers belong to a server this replica no longer follows.
    static func forgetVersions(_ db: Database, above seq: Int64) throws {
        try db.execute(
            sql: "UPDATE records SET version_seq = NULL, version_fields = NULL WHERE version_seq > ?", arguments: [seq])
    }

    /// Removes a record that exists only on this replica (its refused creation was dropped).
    static func erase(_ db: Database, id: String) throws {
        try keepVersionStates(db, of: id)
        try db.execute(sql: "DELETE FROM tags WHERE record_id = ?", arguments: [id])
        try removeSearchTexts(db, of: id)
        try db.execute(sql: "DELETE FROM records WHERE id = ?", arguments: [id])
    }

    /// Looks ids up by prefix. The unary `+` keeps SQLite on the primary-key range: with
    /// `kind = ?` it preferred the `(kind, deleted)` index (until v10) and read every record of
    /// that kind (found by brief-bench: `show` took 9x longer at 5,000 briefings).
    static func resolveSQL(kind: Bool) -> String {
        "SELECT id, kind, title FROM records WHERE id >= ? AND id < ? AND +deleted = 0"
            + (kind ? " AND +kind = ?" : "") + " ORDER BY id LIMIT 6"
    }

    /// The live record whose id starts with `prefix` (at least 4 characters).
    static func resolve(_ db: Database, _ prefix: String, kind: RecordKind? = nil) throws -> Record {
        let p = prefix.lowercased()
        guard p.count >= 4 else {
            throw ClientError(.invalidArgument, "id '\(prefix)' is too short; give at least 4 characters of it")
        }
        guard p.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            throw ClientError(.notFound, "no record with id '\(prefix)': ids are hexadecimal; see 'brief list'")
        }
        var args: [any DatabaseValueConvertible] = [p, p + "~"]
        if let kind { args.append(kind.rawValue) }
        let rows = try Row.fetchAll(db, sql: resolveSQL(kind: kind != nil), arguments: StatementArguments(args))
        let what = kind.map { "\($0.rawValue)" } ?? "briefing or annotation"
        guard let first = rows.first else {
            throw ClientError(.notFound, "no \(what) with id '\(prefix)'; see 'brief list' or 'brief show ID'")
        }
        if rows.count > 1 {
            let list = rows.prefix(5).map { row -> String in
                let id: String = row["id"]
                let k: String = row["kind"]
                let t: String = row["title"]
                return "\(id.prefix(12)) (\(k)\(t.isEmpty ? "" : " \"\(t)\""))"
            }.joined(separator: ", ")
            throw ClientError(.ambiguousID, "id '\(prefix)' matches several records: \(list); give more characters")
        }
        return try load(db, id: first["id"])!
    }
}
