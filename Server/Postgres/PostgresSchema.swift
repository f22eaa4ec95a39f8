/// The PostgreSQL schema, as ordered migrations (the SQLite store's tables, in PostgreSQL types).
///
/// Applied at start under an advisory lock, so several `briefd` starting together apply each
/// migration once.
enum PostgresSchema {
    static let migrations: [(name: String, sql: [String])] = [
        (
            "v1",
            [
                "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                """
                CREATE TABLE users(
                    id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, password TEXT NOT NULL,
                    disabled BOOLEAN NOT NULL DEFAULT false, created BIGINT NOT NULL)
                """,
                "CREATE TABLE teams(id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, created BIGINT NOT NULL)",
                """
                CREATE TABLE members(
                    team_id BIGINT NOT NULL REFERENCES teams(id), user_id BIGINT NOT NULL REFERENCES users(id),
                    role TEXT NOT NULL, PRIMARY KEY(team_id, user_id))
                """,
                "CREATE INDEX members_by_user ON members(user_id)",
                """
                CREATE TABLE tokens(
                    hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id), created BIGINT NOT NULL,
                    expires BIGINT NOT NULL, revoked BOOLEAN NOT NULL DEFAULT false)
                """,
                """
                CREATE TABLE records(
                    id TEXT PRIMARY KEY, kind TEXT NOT NULL, team TEXT NOT NULL,
                    owner BIGINT NOT NULL REFERENCES users(id), seq BIGINT NOT NULL, state TEXT NOT NULL)
                """,
                "CREATE INDEX records_by_seq ON records(seq)",
                "CREATE INDEX records_by_team_seq ON records(team, seq)",
                """
                CREATE TABLE mutations(
                    id TEXT PRIMARY KEY, replica TEXT NOT NULL, user_id BIGINT NOT NULL, record_id TEXT NOT NULL,
                    seq BIGINT NOT NULL, status TEXT NOT NULL, reason TEXT, body TEXT NOT NULL, received BIGINT NOT NULL)
                """,
                "CREATE INDEX mutations_by_replica ON mutations(replica, seq)",
                "CREATE INDEX mutations_by_record ON mutations(record_id, seq)",
                """
                CREATE TABLE versions(
                    record_id TEXT NOT NULL, seq BIGINT NOT NULL, user_id BIGINT NOT NULL, mutation TEXT NOT NULL,
                    received BIGINT NOT NULL, fields TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY(record_id, seq))
                """,
                "CREATE TABLE login_attempts(n BIGSERIAL PRIMARY KEY, key TEXT NOT NULL, at BIGINT NOT NULL)",
                "CREATE INDEX login_attempts_by_key ON login_attempts(key, at)",
                "CREATE INDEX login_attempts_by_time ON login_attempts(at)",
            ]
        ),
        // The version an applied mutation was merged into when nothing else came in between
        // (`Wire.MutationResult.after`), so a replay gets the first answer whole.
        ("v2-mutation-after", ["ALTER TABLE mutations ADD COLUMN after_seq BIGINT"]),
    ]
}
