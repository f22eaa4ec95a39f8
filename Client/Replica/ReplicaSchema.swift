import GRDB

/// The replica's schema, as ordered migrations. Never edit a shipped migration: add one.
enum ReplicaSchema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                    CREATE TABLE records(
                        id TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        briefing TEXT NOT NULL,
                        title TEXT NOT NULL DEFAULT '',
                        sections INTEGER NOT NULL DEFAULT 0,
                        deleted INTEGER NOT NULL DEFAULT 0,
                        updated INTEGER NOT NULL,
                        server_seq INTEGER NOT NULL DEFAULT 0,
                        state TEXT NOT NULL
                    );
                    CREATE INDEX records_by_briefing ON records(briefing, kind, deleted);
                    CREATE INDEX records_by_kind ON records(kind, deleted, updated);
                    CREATE TABLE tags(
                        record_id TEXT NOT NULL REFERENCES records(id),
                        tag TEXT NOT NULL,
                        PRIMARY KEY(tag, record_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX tags_by_record ON tags(record_id);
                    CREATE TABLE outbox(
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        mutation_id TEXT NOT NULL UNIQUE,
                        record_id TEXT NOT NULL REFERENCES records(id),
                        body TEXT NOT NULL,
                        created INTEGER NOT NULL
                    );
                    CREATE INDEX outbox_by_record ON outbox(record_id);
                    CREATE TABLE search_docs(
                        rowid INTEGER PRIMARY KEY,
                        record_id TEXT NOT NULL REFERENCES records(id),
                        briefing TEXT NOT NULL,
                        field TEXT NOT NULL,
                        text TEXT NOT NULL
                    );
                    CREATE INDEX search_docs_by_record ON search_docs(record_id);
                    CREATE VIRTUAL TABLE search USING fts5(
                        text, content='search_docs', content_rowid='rowid',
                        tokenize='unicode61 remove_diacritics 2'
                    );
                    CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
                        INSERT INTO search(rowid, text) VALUES (new.rowid, new.text);
                    END;
                    CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
                        INSERT INTO search(search, rowid, text) VALUES ('delete', old.rowid, old.text);
                    END;
                    """)
        }
        m.registerMigration("v2-sync") { db in
            try db.execute(
                sql: """
                    CREATE TABLE rejected(
                        mutation_id TEXT PRIMARY KEY NOT NULL,
                        record_id TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        body TEXT NOT NULL,
                        at INTEGER NOT NULL
                    );
                    """)
        }
        m.registerMigration("v3-history") { db in
            // Versions pulled from the server, for `brief log` offline.
            try db.execute(
                sql: """
                    CREATE TABLE history(
                        record_id TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        user TEXT,
                        at INTEGER NOT NULL,
                        fields TEXT NOT NULL,
                        state TEXT NOT NULL,
                        PRIMARY KEY(record_id, seq)
                    ) WITHOUT ROWID;
                    """)
        }
        m.registerMigration("v4-on-server") { db in
            // Whether the server has accepted (or sent) the record: a record it never had is
            // never replaced by a partial server copy, and its unpushed changes may be rewritten
            // (to carry a team chosen at login, or as one full state on retry).
            try db.execute(
                sql: """
                    ALTER TABLE records ADD COLUMN on_server INTEGER NOT NULL DEFAULT 0;
                    UPDATE records SET on_server = 1 WHERE server_seq > 0;
                    """)
        }
        m.registerMigration("v5-heal") { db in
            // Records to check against a restored server (a new epoch), each with the merge base
            // that still means the same there; empty except while a sync heals.
            try db.execute(
                sql: """
                    CREATE TABLE heal(record_id TEXT PRIMARY KEY NOT NULL, base INTEGER NOT NULL) WITHOUT ROWID;
                    """)
        }
        m.registerMigration("v6-views") { db in
            // Plain columns for sqlite3 and Datasette (docs/record-model.md, "Reading a replica"):
            // the current, undeleted briefings, their sections in order, and annotations.
            try db.execute(
                sql: """
                    CREATE VIEW briefings_view AS
                    SELECT id, json_extract(state, '$.fields.title.v') AS title,
                        json_extract(state, '$.fields.status.v') AS status,
                        json_extract(state, '$.fields.source.v') AS source,
                        json_extract(state, '$.fields.date.v') AS date,
                        json_extract(state, '$.fields.team.v') AS team,
                        (SELECT group_concat(tag, ',') FROM (SELECT tag FROM tags WHERE record_id = records.id ORDER BY tag))
                            AS tags,
                        strftime('%Y-%m-%dT%H:%M:%SZ', updated / 1000, 'unixepoch') AS updated
                    FROM records WHERE kind = 'briefing' AND deleted = 0;
                    CREATE VIEW sections_view AS
                    SELECT r.id AS briefing, CAST(s.key AS INTEGER) + 1 AS position, s.value AS key,
                        json_extract(r.state, '$.fields."section.' || s.value || '.heading".v') AS heading,
                        json_extract(r.state, '$.fields."section.' || s.value || '.text".v') AS text
                    FROM records r, json_each(r.state, '$.fields.sections.v') s
                    WHERE r.kind = 'briefing' AND r.deleted = 0;
                    CREATE VIEW annotations_view AS
                    SELECT id, briefing, json_extract(state, '$.fields.kind.v') AS kind,
                        json_extract(state, '$.fields.author.v') AS author,
                        json_extract(state, '$.fields.anchor.v.section') AS section,
                        json_extract(state, '$.fields.anchor.v.exact') AS quote,
                        json_extract(state, '$.fields.note.v') AS note,
                        json_extract(state, '$.fields.parent.v') AS parent,
                        json_extract(state, '$.fields.state.v') AS state,
                        (SELECT group_concat(tag, ',') FROM (SELECT tag FROM tags WHERE record_id = records.id ORDER BY tag))
                            AS tags,
                        strftime('%Y-%m-%dT%H:%M:%SZ', updated / 1000, 'unixepoch') AS updated
                    FROM records WHERE kind = 'annotation' AND deleted = 0;
                    """)
        }
        m.registerMigration("v7-reply-quotes") { db in
            // A reply's quote is its parent's: searched once, on the parent.
            try db.execute(
                sql: """
                    DELETE FROM search_docs WHERE field = 'quote' AND record_id IN (
                        SELECT id FROM records WHERE kind = 'annotation'
                            AND json_extract(state, '$.fields.parent.v') IS NOT NULL)
                    """)
        }
        m.registerMigration("v8-section-levels") { db in
            try db.execute(
                sql: """
                    DROP VIEW sections_view;
                    CREATE VIEW sections_view AS
                    SELECT r.id AS briefing, CAST(s.key AS INTEGER) + 1 AS position, s.value AS key,
                        json_extract(r.state, '$.fields."section.' || s.value || '.heading".v') AS heading,
                        json_extract(r.state, '$.fields."section.' || s.value || '.level".v') AS level,
                        json_extract(r.state, '$.fields."section.' || s.value || '.text".v') AS text
                    FROM records r, json_each(r.state, '$.fields.sections.v') s
                    WHERE r.kind = 'briefing' AND r.deleted = 0;
                    """)
        }
        m.registerMigration("v9-search-without-triggers") { db in
            // `RecordStore` writes the full-text index with the texts (see `removeSearchTexts`).
            try db.execute(sql: "DROP TRIGGER search_docs_ai; DROP TRIGGER search_docs_ad;")
        }
        m.registerMigration("v10-lean-indexes") { db in try leanIndexes(db) }
        m.registerMigration("v11-version-in-row") { db in try versionInRow(db) }
        return m
    }

    /// Two indexes a pulled record paid for on every write, replaced (issue 12: a third of a
    /// clone's index upkeep):
    /// - `search_docs_by_record`: a record's texts are found by their rowids instead, which
    ///   `records.texts_from` and `records.texts` hold (a record's texts are written together,
    ///   so their rowids are consecutive; the few that are not are written again here).
    /// - `records_by_kind`: only briefings and conflicts are listed by kind, so they get partial
    ///   indexes, and annotations (most records) none.
    static func leanIndexes(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE records ADD COLUMN texts_from INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE records ADD COLUMN texts INTEGER NOT NULL DEFAULT 0;
                """)
        let scattered = try String.fetchAll(
            db,
            sql: """
                SELECT record_id FROM search_docs GROUP BY record_id
                HAVING max(rowid) - min(rowid) + 1 != count(*) ORDER BY min(rowid)
                """)
        for id in scattered {
            let rows = try Row.fetchAll(
                db,
                sql: "DELETE FROM search_docs WHERE record_id = ? RETURNING rowid, briefing, field, text",
                arguments: [id]
            ).sorted { ($0[0] as Int64) < ($1[0] as Int64) }
            for row in rows {
                try db.execute(
                    sql: "INSERT INTO search(search, rowid, text) VALUES ('delete', ?, ?)", arguments: [row[0], row[3]])
            }
            for row in rows {
                try db.execute(
                    sql: "INSERT INTO search_docs(record_id, briefing, field, text) VALUES (?, ?, ?, ?)",
                    arguments: [id, row[1], row[2], row[3]])
                try db.execute(
                    sql: "INSERT INTO search(rowid, text) VALUES (?, ?)", arguments: [db.lastInsertedRowID, row[3]])
            }
        }
        try db.execute(
            sql: """
                UPDATE records SET (texts_from, texts) = (
                    SELECT coalesce(min(rowid), 0), count(*) FROM search_docs WHERE record_id = records.id);
                DROP INDEX search_docs_by_record;
                DROP INDEX records_by_kind;
                CREATE INDEX briefings_by_updated ON records(deleted, updated) WHERE kind = 'briefing';
                CREATE INDEX conflicts_by_deleted ON records(deleted) WHERE kind = 'conflict';
                """)
    }

    /// The pulled version a record's row holds exactly is kept in the row (`version_seq`,
    /// `version_fields`; its time is `updated`, its state `state`), not as a `history` row:
    /// a clone then writes no `history` row at all (a random-order B-tree insert per record,
    /// ~35 ms of a 20,000-record clone's apply). Until v11 it was a `history` row with an empty
    /// state; those move into their rows. `versions` reads both as one table.
    static func versionInRow(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE records ADD COLUMN version_seq INTEGER;
                ALTER TABLE records ADD COLUMN version_fields TEXT;
                UPDATE records SET (version_seq, version_fields) = (
                    SELECT h.seq, h.fields FROM history h WHERE h.record_id = records.id AND h.state = ''
                    ORDER BY h.seq DESC LIMIT 1)
                WHERE EXISTS (SELECT 1 FROM history h WHERE h.record_id = records.id AND h.state = '');
                DELETE FROM history WHERE state = '' AND EXISTS (
                    SELECT 1 FROM records r WHERE r.id = history.record_id AND r.version_seq = history.seq);
                UPDATE history SET state = (SELECT state FROM records r WHERE r.id = history.record_id)
                WHERE state = '' AND EXISTS (SELECT 1 FROM records r WHERE r.id = history.record_id);
                DELETE FROM history WHERE state = '';
                CREATE VIEW versions(record_id, seq, user, at, fields, state) AS
                    SELECT record_id, seq, user, at, fields, state FROM history
                    UNION ALL
                    SELECT id, version_seq, NULL, updated, version_fields, state FROM records r
                    WHERE version_seq IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM history h WHERE h.record_id = r.id AND h.seq = r.version_seq);
                """)
    }
}
