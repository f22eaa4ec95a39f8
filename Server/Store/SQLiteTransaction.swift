import BriefSyncModel
import GRDB

/// ``StoreTransaction`` on one GRDB database connection, inside a transaction GRDB opened.
/// Statements are cached per connection, so a push prepares each of them once.
public struct SQLiteTransaction: StoreTransaction {
    let db: Database

    private func statement(_ sql: String) throws -> Statement { try db.cachedStatement(sql: sql) }

    /// `?, ?, …` for a list bound to `IN (…)`.
    private static func marks(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ",") }

    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        var value: T?
        do {
            // A throwing body makes GRDB roll back to the savepoint and rethrow the body's error
            // (not the rollback's, when a full disk already ended the transaction).
            try db.inSavepoint {
                value = try body()
                return .commit
            }
            return value!
        } catch let error as DatabaseError {
            throw SQLiteSyncStore.storeError(error, file: "briefd.sqlite")
        }
    }

    // MARK: Meta

    public func meta(_ key: String) throws -> String? {
        try String.fetchOne(statement("SELECT value FROM meta WHERE key = ?"), arguments: [key])
    }

    public func setMeta(_ key: String, _ value: String) throws {
        try statement(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        ).execute(arguments: [key, value])
    }

    public func counts() throws -> (users: Int, teams: Int, versions: Int, records: [RecordKind: Int]) {
        var records: [RecordKind: Int] = [:]
        for row in try Row.fetchAll(statement("SELECT kind, count(*) FROM records GROUP BY kind")) {
            if let kind = RecordKind(rawValue: row[0]) { records[kind] = row[1] }
        }
        return (
            try Int.fetchOne(statement("SELECT count(*) FROM users")) ?? 0,
            try Int.fetchOne(statement("SELECT count(*) FROM teams")) ?? 0,
            try Int.fetchOne(statement("SELECT count(*) FROM versions")) ?? 0, records
        )
    }

    public func databaseBytes() throws -> Int64 {
        try Int64.fetchOne(
            statement("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")) ?? 0
    }

    public func announce(teams: [String]) throws {}

    // MARK: Users

    public func userNames() throws -> [String] { try String.fetchAll(statement("SELECT name FROM users")) }

    public func insertUser(name: String, passwordHash: String, now: Int64) throws -> Int64 {
        try statement("INSERT INTO users(name, password, created) VALUES (?, ?, ?)").execute(arguments: [
            name, passwordHash, now,
        ])
        return db.lastInsertedRowID
    }

    public func user(named name: String) throws -> (user: ServerUser, passwordHash: String)? {
        try Row.fetchOne(statement("SELECT id, name, disabled, password FROM users WHERE name = ?"), arguments: [name])
            .map { (ServerUser(id: $0["id"], name: $0["name"], disabled: $0["disabled"]), $0["password"]) }
    }

    public func userID(named name: String) throws -> Int64? {
        try Int64.fetchOne(statement("SELECT id FROM users WHERE name = ?"), arguments: [name])
    }

    public func users() throws -> [ServerUser] {
        // SQLite's default collation is byte-wise.
        try Row.fetchAll(statement("SELECT id, name, disabled FROM users ORDER BY name")).map {
            ServerUser(id: $0["id"], name: $0["name"], disabled: $0["disabled"])
        }
    }

    public func setDisabled(name: String, _ disabled: Bool) throws -> Int64? {
        guard let id = try userID(named: name) else { return nil }
        try statement("UPDATE users SET disabled = ? WHERE id = ?").execute(arguments: [disabled, id])
        return id
    }

    public func revokeTokens(userID: Int64) throws {
        try statement("UPDATE tokens SET revoked = 1 WHERE user_id = ?").execute(arguments: [userID])
    }

    public func setPasswordHash(userID: Int64, _ hash: String) throws {
        try statement("UPDATE users SET password = ? WHERE id = ?").execute(arguments: [hash, userID])
    }

    public func revokeTokens(userID: Int64, prefix: String) throws -> Int {
        try statement("UPDATE tokens SET revoked = 1 WHERE user_id = ? AND substr(hash, 1, ?) = ? AND revoked = 0")
            .execute(arguments: [userID, prefix.count, prefix])
        return db.changesCount
    }

    public func tokens(userID: Int64) throws -> [TokenInfo] {
        try Row.fetchAll(
            statement(
                "SELECT hash, created, expires, revoked FROM tokens WHERE user_id = ? ORDER BY created DESC, hash"),
            arguments: [userID]
        ).map {
            TokenInfo(
                id: String(($0["hash"] as String).prefix(12)), created: $0["created"], expires: $0["expires"],
                revoked: $0["revoked"])
        }
    }

    // MARK: Teams

    public func renameTeam(id: Int64, from old: String, to new: String) throws {
        try statement("UPDATE teams SET name = ? WHERE id = ?").execute(arguments: [new, id])
        try statement("UPDATE records SET team = ? WHERE team = ?").execute(arguments: [new, old])
    }

    public func recordIDs(team: String, kind: RecordKind) throws -> [String] {
        try String.fetchAll(
            statement("SELECT id FROM records WHERE team = ? AND kind = ? ORDER BY seq"),
            arguments: [team, kind.rawValue])
    }

    public func teamNames() throws -> [String] { try String.fetchAll(statement("SELECT name FROM teams")) }

    public func insertTeam(name: String, now: Int64) throws {
        try statement("INSERT INTO teams(name, created) VALUES (?, ?)").execute(arguments: [name, now])
    }

    public func teamID(named name: String) throws -> Int64? {
        try Int64.fetchOne(statement("SELECT id FROM teams WHERE name = ?"), arguments: [name])
    }

    public func setRole(teamID: Int64, userID: Int64, role: Wire.Role) throws {
        try statement(
            """
            INSERT INTO members(team_id, user_id, role) VALUES (?, ?, ?)
            ON CONFLICT(team_id, user_id) DO UPDATE SET role = excluded.role
            """
        ).execute(arguments: [teamID, userID, role.rawValue])
    }

    public func removeMember(teamID: Int64, userID: Int64) throws -> Bool {
        try statement("DELETE FROM members WHERE team_id = ? AND user_id = ?").execute(arguments: [teamID, userID])
        return db.changesCount == 1
    }

    public func members(team: String) throws -> [ServerTeam.Member] {
        try Row.fetchAll(
            statement(
                """
                SELECT u.name, m.role FROM members m JOIN users u ON u.id = m.user_id
                JOIN teams t ON t.id = m.team_id WHERE t.name = ? ORDER BY u.name
                """), arguments: [team]
        ).map { ServerTeam.Member(user: $0[0], role: Wire.Role(rawValue: $0[1]) ?? .viewer) }
    }

    public func memberships(userID: Int64) throws -> [Wire.Membership] {
        try Row.fetchAll(
            statement(
                "SELECT t.name, m.role FROM members m JOIN teams t ON t.id = m.team_id WHERE m.user_id = ? ORDER BY t.name"
            ), arguments: [userID]
        ).compactMap { row in Wire.Role(rawValue: row[1]).map { Wire.Membership(team: row[0], role: $0) } }
    }

    // MARK: Tokens

    public func insertToken(hash: String, userID: Int64, now: Int64, expires: Int64) throws {
        try statement("INSERT INTO tokens(hash, user_id, created, expires) VALUES (?, ?, ?, ?)").execute(arguments: [
            hash, userID, now, expires,
        ])
    }

    public func user(tokenHash: String, now: Int64) throws -> ServerUser? {
        try Row.fetchOne(
            statement(
                """
                SELECT u.id, u.name, u.disabled FROM tokens t JOIN users u ON u.id = t.user_id
                WHERE t.hash = ? AND t.revoked = 0 AND t.expires > ? AND u.disabled = 0
                """), arguments: [tokenHash, now]
        ).map { ServerUser(id: $0["id"], name: $0["name"], disabled: $0["disabled"]) }
    }

    public func revokeToken(hash: String) throws {
        try statement("UPDATE tokens SET revoked = 1 WHERE hash = ?").execute(arguments: [hash])
    }

    // MARK: Login attempts

    public func pruneLoginAttempts(before: Int64) throws {
        try statement("DELETE FROM login_attempts WHERE at <= ?").execute(arguments: [before])
    }

    public func loginAttempts(key: String) throws -> [Int64] {
        try Int64.fetchAll(statement("SELECT at FROM login_attempts WHERE key = ? ORDER BY at, n"), arguments: [key])
    }

    public func addLoginAttempt(key: String, at: Int64) throws {
        try statement("INSERT INTO login_attempts(key, at) VALUES (?, ?)").execute(arguments: [key, at])
    }

    public func clearLoginAttempts(key: String) throws {
        try statement("DELETE FROM login_attempts WHERE key = ?").execute(arguments: [key])
    }

    public func dropNewestLoginAttempt(key: String) throws {
        try statement(
            "DELETE FROM login_attempts WHERE n = (SELECT n FROM login_attempts WHERE key = ? ORDER BY at DESC, n DESC LIMIT 1)"
        ).execute(arguments: [key])
    }

    // MARK: Records

    public func record(id: String) throws -> StoredRecord? {
        guard
            let row = try Row.fetchOne(
                statement("SELECT team, owner, seq, state FROM records WHERE id = ?"), arguments: [id])
        else { return nil }
        return StoredRecord(
            record: try WireJSON.decode(Record.self, from: row["state"] as String), team: row["team"],
            owner: row["owner"], seq: row["seq"])
    }

    public func placement(ofRecord id: String) throws -> (team: String, kind: RecordKind)? {
        guard let row = try Row.fetchOne(statement("SELECT team, kind FROM records WHERE id = ?"), arguments: [id]),
            let kind = RecordKind(rawValue: row["kind"])
        else { return nil }
        return (row["team"], kind)
    }

    public func saveRecord(_ record: BriefSyncModel.Record, state: String, team: String, owner: Int64, seq: Int64)
        throws
    {
        try statement(
            """
            INSERT INTO records(id, kind, team, owner, seq, state) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, state = excluded.state
            """
        ).execute(arguments: [record.id, record.kind.rawValue, team, owner, seq, state])
    }

    public func countRecords(after seq: Int64, teams: [String]) throws -> Int {
        var args: [any DatabaseValueConvertible] = [seq]
        args.append(contentsOf: teams)
        return try Int.fetchOne(
            db, sql: "SELECT count(*) FROM records WHERE seq > ? AND team IN (\(Self.marks(teams.count)))",
            arguments: StatementArguments(args)) ?? 0
    }

    public func records(after seq: Int64, teams: [String], limit: Int) throws -> [Wire.StoredRecord] {
        var args: [any DatabaseValueConvertible] = [seq]
        args.append(contentsOf: teams)
        args.append(limit)
        return try Row.fetchAll(
            db,
            sql:
                "SELECT seq, state FROM records WHERE seq > ? AND team IN (\(Self.marks(teams.count))) ORDER BY seq LIMIT ?",
            arguments: StatementArguments(args)
        ).map { Wire.StoredRecord(seq: $0["seq"], state: $0["state"]) }
    }

    public func teamRecords(team: String) throws -> [TeamExport.Entry] {
        try Row.fetchAll(
            statement(
                """
                SELECT r.id, u.name, r.seq, r.state FROM records r JOIN users u ON u.id = r.owner
                WHERE r.team = ? ORDER BY r.seq
                """), arguments: [team]
        ).map {
            TeamExport.Entry(
                id: $0[0], owner: $0[1], seq: $0[2], state: try WireJSON.decode(Record.self, from: $0[3] as String))
        }
    }

    public func teamVersions(team: String) throws -> [(record: String, version: Wire.Version)] {
        try Row.fetchAll(
            statement(
                """
                SELECT v.record_id, v.seq, v.mutation, coalesce(u.name, '(server)'), v.received, v.fields, v.state
                FROM versions v LEFT JOIN users u ON u.id = v.user_id JOIN records r ON r.id = v.record_id
                WHERE r.team = ? ORDER BY v.seq, v.record_id
                """), arguments: [team]
        ).map { row in
            (
                row[0],
                Wire.Version(
                    seq: row[1], mutation: row[2], user: row[3], received: row[4],
                    fields: try WireJSON.decode([String].self, from: row[5] as String),
                    state: try WireJSON.decode(Record.self, from: row[6] as String))
            )
        }
    }

    // MARK: Mutations

    public func mutation(id: String) throws -> StoredMutation? {
        try Row.fetchOne(
            statement(
                "SELECT replica, user_id, record_id, seq, status, reason, received, after_seq FROM mutations WHERE id = ?"
            ),
            arguments: [id]
        ).map {
            StoredMutation(
                id: id, replica: $0["replica"], userID: $0["user_id"], recordID: $0["record_id"], seq: $0["seq"],
                status: Wire.MutationResult.Status(rawValue: $0["status"]) ?? .rejected, reason: $0["reason"],
                received: $0["received"], after: $0["after_seq"])
        }
    }

    public func insertMutation(_ m: StoredMutation, body: String) throws {
        try statement(
            """
            INSERT INTO mutations(id, replica, user_id, record_id, seq, status, reason, body, received, after_seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ).execute(arguments: [
            m.id, m.replica, m.userID, m.recordID, m.seq, m.status.rawValue, m.reason, body, m.received, m.after,
        ])
    }

    public func appliedBodies(recordID: String, replica: String, after seq: Int64) throws -> [String] {
        try String.fetchAll(
            statement(
                "SELECT body FROM mutations WHERE record_id = ? AND replica = ? AND status = 'applied' AND seq > ? ORDER BY seq"
            ), arguments: [recordID, replica, seq])
    }

    public func userName(ofReplica replica: String) throws -> String? {
        try String.fetchOne(
            statement("SELECT u.name FROM mutations m JOIN users u ON u.id = m.user_id WHERE m.replica = ? LIMIT 1"),
            arguments: [replica])
    }

    public func acked(replica: String, userID: Int64, after: Int64, upTo: Int64) throws -> [(id: String, seq: Int64)] {
        try Row.fetchAll(
            statement(
                "SELECT id, seq FROM mutations WHERE replica = ? AND user_id = ? AND seq > ? AND seq <= ? ORDER BY seq"),
            arguments: [replica, userID, after, upTo]
        ).map { ($0[0], $0[1]) }
    }

    // MARK: Versions

    public func versionState(recordID: String, atOrBelow seq: Int64) throws -> BriefSyncModel.Record? {
        try String.fetchOne(
            statement("SELECT state FROM versions WHERE record_id = ? AND seq <= ? ORDER BY seq DESC LIMIT 1"),
            arguments: [recordID, seq]
        ).map { try WireJSON.decode(Record.self, from: $0) }
    }

    public func insertVersion(_ v: StoredVersion, state: String) throws {
        try statement(
            "INSERT INTO versions(record_id, seq, user_id, mutation, received, fields, state) VALUES (?, ?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [
            v.record.id, v.seq, v.userID, v.mutation, v.received, try WireJSON.string(v.fields), state,
        ])
    }

    public func versions(recordID: String) throws -> [Wire.Version] {
        try Row.fetchAll(
            statement(
                """
                SELECT v.seq, v.mutation, coalesce(u.name, '(server)') AS name, v.received, v.fields, v.state
                FROM versions v LEFT JOIN users u ON u.id = v.user_id WHERE v.record_id = ? ORDER BY v.seq
                """), arguments: [recordID]
        ).map { row in
            Wire.Version(
                seq: row["seq"], mutation: row["mutation"], user: row["name"], received: row["received"],
                fields: try WireJSON.decode([String].self, from: row["fields"] as String),
                state: try WireJSON.decode(Record.self, from: row["state"] as String))
        }
    }
}
