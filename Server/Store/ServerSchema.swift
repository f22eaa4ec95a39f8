import GRDB

/// The server database's schema, as ordered migrations.
enum ServerSchema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                    CREATE TABLE users(
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        password TEXT NOT NULL,
                        disabled INTEGER NOT NULL DEFAULT 0,
                        created INTEGER NOT NULL
                    );
                    CREATE TABLE teams(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created INTEGER NOT NULL);
                    CREATE TABLE members(
                        team_id INTEGER NOT NULL REFERENCES teams(id),
                        user_id INTEGER NOT NULL REFERENCES users(id),
                        role TEXT NOT NULL,
                        PRIMARY KEY(team_id, user_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX members_by_user ON members(user_id);
                    CREATE TABLE tokens(
                        hash TEXT PRIMARY KEY NOT NULL,
                        user_id INTEGER NOT NULL REFERENCES users(id),
                        created INTEGER NOT NULL,
                        expires INTEGER NOT NULL,
                        revoked INTEGER NOT NULL DEFAULT 0
                    ) WITHOUT ROWID;
                    CREATE TABLE records(
                        id TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        team TEXT NOT NULL,
                        owner INTEGER NOT NULL REFERENCES users(id),
                        seq INTEGER NOT NULL,
                        state TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX records_by_seq ON records(seq);
                    CREATE INDEX records_by_team_seq ON records(team, seq);
                    CREATE TABLE mutations(
                        id TEXT PRIMARY KEY NOT NULL,
                        replica TEXT NOT NULL,
                        user_id INTEGER NOT NULL,
                        record_id TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        status TEXT NOT NULL,
                        reason TEXT,
                        body TEXT NOT NULL,
                        received INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX mutations_by_replica ON mutations(replica, seq);
                    CREATE INDEX mutations_by_record ON mutations(record_id, seq);
                    """)
        }
        m.registerMigration("v2-versions") { db in
            // Every accepted version of every record: the history behind `brief log` and `revert`.
            try db.execute(
                sql: """
                    CREATE TABLE versions(
                        record_id TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        user_id INTEGER NOT NULL,
                        mutation TEXT NOT NULL,
                        received INTEGER NOT NULL,
                        fields TEXT NOT NULL,
                        state TEXT NOT NULL,
                        PRIMARY KEY(record_id, seq)
                    ) WITHOUT ROWID;
                    """)
        }
        m.registerMigration("v3-login-attempts") { db in
            // Login attempts live in the database so every server on it shares the limit.
            try db.execute(
                sql: """
                    CREATE TABLE login_attempts(n INTEGER PRIMARY KEY, key TEXT NOT NULL, at INTEGER NOT NULL);
                    CREATE INDEX login_attempts_by_key ON login_attempts(key, at);
                    CREATE INDEX login_attempts_by_time ON login_attempts(at);
                    """)
        }
        m.registerMigration("v4-mutation-after") { db in
            // The version an applied mutation was merged into when nothing else came in between
            // (`Wire.MutationResult.after`), so a replay gets the first answer whole.
            try db.execute(sql: "ALTER TABLE mutations ADD COLUMN after_seq INTEGER")
        }
        return m
    }
}
