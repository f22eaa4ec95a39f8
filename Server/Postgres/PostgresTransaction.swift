import BriefSyncModel
import BriefSyncServer
import Logging
import NIOCore
import PostgresNIO

/// ``StoreTransaction`` on one PostgreSQL connection inside an open transaction.
///
/// Runs on a thread of its own (see ``PostgresSyncStore``), never on Swift's cooperative pool:
/// each call sends one statement and waits for its answer.
public struct PostgresTransaction: StoreTransaction {
    let connection: PostgresConnection
    let logger: Logger
    /// The store's name in change notices.
    let instance: String

    @discardableResult
    package func run(_ query: PostgresQuery) throws -> PostgresQueryResult {
        do {
            return try connection.query(query, logger: logger).wait()
        } catch let error as PSQLError {
            throw PostgresSyncStore.storeError(error)
        }
    }

    package func one<each Column: PostgresDecodable>(_ type: (repeat each Column).Type, _ query: PostgresQuery) throws
        -> (repeat each Column)?
    {
        guard let row = try run(query).rows.first else { return nil }
        return try row.decode((repeat each Column).self)
    }

    package func all<each Column: PostgresDecodable>(_ type: (repeat each Column).Type, _ query: PostgresQuery) throws
        -> [(repeat each Column)]
    {
        try run(query).rows.map { try $0.decode((repeat each Column).self) }
    }

    /// Rows of a fixed statement (for tests and tools).
    package func all<each Column: PostgresDecodable>(_ type: (repeat each Column).Type, sql: String) throws
        -> [(repeat each Column)]
    {
        try all(type, PostgresQuery(unsafeSQL: sql))
    }

    /// How many rows a statement changed.
    func changed(_ query: PostgresQuery) throws -> Int { try run(query).metadata.rows ?? 0 }

    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        try run("SAVEPOINT push")
        do {
            let result = try body()
            try run("RELEASE SAVEPOINT push")
            return result
        } catch {
            // If even this fails the transaction is broken, and its commit fails for every push.
            _ = try? run("ROLLBACK TO SAVEPOINT push")
            throw error
        }
    }

    // MARK: Meta

    public func meta(_ key: String) throws -> String? {
        try one(String.self, "SELECT value FROM meta WHERE key = \(key)")
    }

    public func setMeta(_ key: String, _ value: String) throws {
        try run(
            "INSERT INTO meta(key, value) VALUES (\(key), \(value)) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        )
    }

    public func counts() throws -> (users: Int, teams: Int, versions: Int, records: [RecordKind: Int]) {
        var records: [RecordKind: Int] = [:]
        for (kind, n) in try all((String, Int64).self, "SELECT kind, count(*) FROM records GROUP BY kind") {
            if let kind = RecordKind(rawValue: kind) { records[kind] = Int(n) }
        }
        let users: Int64 = try one(Int64.self, "SELECT count(*) FROM users") ?? 0
        let teams: Int64 = try one(Int64.self, "SELECT count(*) FROM teams") ?? 0
        let versions: Int64 = try one(Int64.self, "SELECT count(*) FROM versions") ?? 0
        return (Int(users), Int(teams), Int(versions), records)
    }

    public func databaseBytes() throws -> Int64 {
        try one(Int64.self, "SELECT pg_database_size(current_database())") ?? 0
    }

    // MARK: Users

    public func userNames() throws -> [String] { try all(String.self, "SELECT name FROM users") }

    public func insertUser(name: String, passwordHash: String, now: Int64) throws -> Int64 {
        try one(
            Int64.self,
            "INSERT INTO users(name, password, created) VALUES (\(name), \(passwordHash), \(now)) RETURNING id") ?? 0
    }

    public func user(named name: String) throws -> (user: ServerUser, passwordHash: String)? {
        try one(
            (Int64, String, Bool, String).self, "SELECT id, name, disabled, password FROM users WHERE name = \(name)"
        )
        .map { (ServerUser(id: $0.0, name: $0.1, disabled: $0.2), $0.3) }
    }

    public func userID(named name: String) throws -> Int64? {
        try one(Int64.self, "SELECT id FROM users WHERE name = \(name)")
    }

    public func users() throws -> [ServerUser] {
        try all((Int64, String, Bool).self, #"SELECT id, name, disabled FROM users ORDER BY name COLLATE "C""#).map {
            ServerUser(id: $0.0, name: $0.1, disabled: $0.2)
        }
    }

    public func setDisabled(name: String, _ disabled: Bool) throws -> Int64? {
        try one(Int64.self, "UPDATE users SET disabled = \(disabled) WHERE name = \(name) RETURNING id")
    }

    public func revokeTokens(userID: Int64) throws {
        try run("UPDATE tokens SET revoked = true WHERE user_id = \(userID)")
    }

    public func setPasswordHash(userID: Int64, _ hash: String) throws {
        try run("UPDATE users SET password = \(hash) WHERE id = \(userID)")
    }

    public func revokeTokens(userID: Int64, prefix: String) throws -> Int {
        try changed(
            """
            UPDATE tokens SET revoked = true
            WHERE user_id = \(userID) AND starts_with(hash, \(prefix)) AND NOT revoked
            """)
    }

    public func tokens(userID: Int64) throws -> [TokenInfo] {
        try all(
            (String, Int64, Int64, Bool).self,
            #"SELECT hash, created, expires, revoked FROM tokens WHERE user_id = \#(userID) ORDER BY created DESC, hash COLLATE "C""#
        ).map { TokenInfo(id: String($0.0.prefix(12)), created: $0.1, expires: $0.2, revoked: $0.3) }
    }

    // MARK: Teams

    public func renameTeam(id: Int64, from old: String, to new: String) throws {
        try run("UPDATE teams SET name = \(new) WHERE id = \(id)")
        try run("UPDATE records SET team = \(new) WHERE team = \(old)")
    }

    public func recordIDs(team: String, kind: RecordKind) throws -> [String] {
        try all(String.self, "SELECT id FROM records WHERE team = \(team) AND kind = \(kind.rawValue) ORDER BY seq")
    }

    public func teamNames() throws -> [String] { try all(String.self, "SELECT name FROM teams") }

    public func insertTeam(name: String, now: Int64) throws {
        try run("INSERT INTO teams(name, created) VALUES (\(name), \(now))")
    }

    public func teamID(named name: String) throws -> Int64? {
        try one(Int64.self, "SELECT id FROM teams WHERE name = \(name)")
    }

    public func setRole(teamID: Int64, userID: Int64, role: Wire.Role) throws {
        try run(
            """
            INSERT INTO members(team_id, user_id, role) VALUES (\(teamID), \(userID), \(role.rawValue))
            ON CONFLICT(team_id, user_id) DO UPDATE SET role = excluded.role
            """)
    }

    public func removeMember(teamID: Int64, userID: Int64) throws -> Bool {
        try changed("DELETE FROM members WHERE team_id = \(teamID) AND user_id = \(userID)") == 1
    }

    public func members(team: String) throws -> [ServerTeam.Member] {
        try all(
            (String, String).self,
            """
            SELECT u.name, m.role FROM members m JOIN users u ON u.id = m.user_id
            JOIN teams t ON t.id = m.team_id WHERE t.name = \(team) ORDER BY u.name COLLATE "C"
            """
        ).map { ServerTeam.Member(user: $0.0, role: Wire.Role(rawValue: $0.1) ?? .viewer) }
    }

    public func memberships(userID: Int64) throws -> [Wire.Membership] {
        try all(
            (String, String).self,
            """
            SELECT t.name, m.role FROM members m JOIN teams t ON t.id = m.team_id WHERE m.user_id = \(userID)
            ORDER BY t.name COLLATE "C"
            """
        ).compactMap { row in Wire.Role(rawValue: row.1).map { Wire.Membership(team: row.0, role: $0) } }
    }

    // MARK: Tokens

    public func insertToken(hash: String, userID: Int64, now: Int64, expires: Int64) throws {
        try run(
            "INSERT INTO tokens(hash, user_id, created, expires) VALUES (\(hash), \(userID), \(now), \(expires))")
    }

    public func user(tokenHash: String, now: Int64) throws -> ServerUser? {
        try one(
            (Int64, String, Bool).self,
            """
            SELECT u.id, u.name, u.disabled FROM tokens t JOIN users u ON u.id = t.user_id
            WHERE t.hash = \(tokenHash) AND NOT t.revoked AND t.expires > \(now) AND NOT u.disabled
            """
        ).map { ServerUser(id: $0.0, name: $0.1, disabled: $0.2) }
    }

    public func revokeToken(hash: String) throws {
        try run("UPDATE tokens SET revoked = true WHERE hash = \(hash)")
    }

    // MARK: Login attempts

    public func pruneLoginAttempts(before: Int64) throws {
        try run("DELETE FROM login_attempts WHERE at <= \(before)")
    }

    public func loginAttempts(key: String) throws -> [Int64] {
        try all(Int64.self, "SELECT at FROM login_attempts WHERE key = \(key) ORDER BY at, n")
    }

    public func addLoginAttempt(key: String, at: Int64) throws {
        try run("INSERT INTO login_attempts(key, at) VALUES (\(key), \(at))")
    }

    public func clearLoginAttempts(key: String) throws {
        try run("DELETE FROM login_attempts WHERE key = \(key)")
    }

    public func dropNewestLoginAttempt(key: String) throws {
        try run(
            """
            DELETE FROM login_attempts WHERE n = (
                SELECT n FROM login_attempts WHERE key = \(key) ORDER BY at DESC, n DESC LIMIT 1)
            """)
    }

    // MARK: Records

    public func record(id: String) throws -> StoredRecord? {
        guard
            let row = try one(
                (String, Int64, Int64, String).self, "SELECT team, owner, seq, state FROM records WHERE id = \(id)")
        else { return nil }
        return StoredRecord(
            record: try WireJSON.decode(BriefSyncModel.Record.self, from: row.3), team: row.0, owner: row.1,
            seq: row.2)
    }

    public func placement(ofRecord id: String) throws -> (team: String, kind: RecordKind)? {
        guard let row = try one((String, String).self, "SELECT team, kind FROM records WHERE id = \(id)"),
            let kind = RecordKind(rawValue: row.1)
        else { return nil }
        return (row.0, kind)
    }

    public func saveRecord(_ record: BriefSyncModel.Record, state: String, team: String, owner: Int64, seq: Int64)
        throws
    {
        try run(
            """
            INSERT INTO records(id, kind, team, owner, seq, state)
            VALUES (\(record.id), \(record.kind.rawValue), \(team), \(owner), \(seq), \(state))
            ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, state = excluded.state
            """)
    }

    public func countRecords(after seq: Int64, teams: [String]) throws -> Int {
        let count = try one(Int64.self, "SELECT count(*) FROM records WHERE seq > \(seq) AND team = ANY(\(teams))")
        return Int(count ?? 0)
    }

    public func records(after seq: Int64, teams: [String], limit: Int) throws -> [Wire.StoredRecord] {
        try all(
            (Int64, String).self,
            "SELECT seq, state FROM records WHERE seq > \(seq) AND team = ANY(\(teams)) ORDER BY seq LIMIT \(limit)"
        ).map { Wire.StoredRecord(seq: $0.0, state: $0.1) }
    }

    public func teamRecords(team: String) throws -> [TeamExport.Entry] {
        try all(
            (String, String, Int64, String).self,
            """
            SELECT r.id, u.name, r.seq, r.state FROM records r JOIN users u ON u.id = r.owner
            WHERE r.team = \(team) ORDER BY r.seq
            """
        ).map {
            TeamExport.Entry(
                id: $0.0, owner: $0.1, seq: $0.2, state: try WireJSON.decode(BriefSyncModel.Record.self, from: $0.3))
        }
    }

    public func teamVersions(team: String) throws -> [(record: String, version: Wire.Version)] {
        try all(
            (String, Int64, String, String, Int64, String, String).self,
            """
            SELECT v.record_id, v.seq, v.mutation, coalesce(u.name, '(server)'), v.received, v.fields, v.state
            FROM versions v LEFT JOIN users u ON u.id = v.user_id JOIN records r ON r.id = v.record_id
            WHERE r.team = \(team) ORDER BY v.seq, v.record_id COLLATE "C"
            """
        ).map { row in
            (
                row.0,
                Wire.Version(
                    seq: row.1, mutation: row.2, user: row.3, received: row.4,
                    fields: try WireJSON.decode([String].self, from: row.5),
                    state: try WireJSON.decode(BriefSyncModel.Record.self, from: row.6))
            )
        }
    }

    // MARK: Mutations

    public func mutation(id: String) throws -> StoredMutation? {
        try one(
            (String, Int64, String, Int64, String, String?, Int64, Int64?).self,
            "SELECT replica, user_id, record_id, seq, status, reason, received, after_seq FROM mutations WHERE id = \(id)"
        ).map {
            StoredMutation(
                id: id, replica: $0.0, userID: $0.1, recordID: $0.2, seq: $0.3,
                status: Wire.MutationResult.Status(rawValue: $0.4) ?? .rejected, reason: $0.5, received: $0.6,
                after: $0.7)
        }
    }

    public func insertMutation(_ m: StoredMutation, body: String) throws {
        try run(
            """
            INSERT INTO mutations(id, replica, user_id, record_id, seq, status, reason, body, received, after_seq)
            VALUES (\(m.id), \(m.replica), \(m.userID), \(m.recordID), \(m.seq), \(m.status.rawValue), \(m.reason),
                    \(body), \(m.received), \(m.after))
            """)
    }

    public func appliedBodies(recordID: String, replica: String, after seq: Int64) throws -> [String] {
        try all(
            String.self,
            """
            SELECT body FROM mutations WHERE record_id = \(recordID) AND replica = \(replica)
            AND status = 'applied' AND seq > \(seq) ORDER BY seq
            """)
    }

    public func userName(ofReplica replica: String) throws -> String? {
        try one(
            String.self,
            "SELECT u.name FROM mutations m JOIN users u ON u.id = m.user_id WHERE m.replica = \(replica) LIMIT 1")
    }

    public func acked(replica: String, userID: Int64, after: Int64, upTo: Int64) throws -> [(id: String, seq: Int64)] {
        try all(
            (String, Int64).self,
            """
            SELECT id, seq FROM mutations WHERE replica = \(replica) AND user_id = \(userID)
            AND seq > \(after) AND seq <= \(upTo) ORDER BY seq
            """)
    }

    // MARK: Versions

    public func versionState(recordID: String, atOrBelow seq: Int64) throws -> BriefSyncModel.Record? {
        try one(
            String.self,
            "SELECT state FROM versions WHERE record_id = \(recordID) AND seq <= \(seq) ORDER BY seq DESC LIMIT 1"
        ).map { try WireJSON.decode(BriefSyncModel.Record.self, from: $0) }
    }

    public func insertVersion(_ v: StoredVersion, state: String) throws {
        let fields = try WireJSON.string(v.fields)
        try run(
            """
            INSERT INTO versions(record_id, seq, user_id, mutation, received, fields, state)
            VALUES (\(v.record.id), \(v.seq), \(v.userID), \(v.mutation), \(v.received), \(fields), \(state))
            """)
    }

    public func versions(recordID: String) throws -> [Wire.Version] {
        try all(
            (Int64, String, String, Int64, String, String).self,
            """
            SELECT v.seq, v.mutation, coalesce(u.name, '(server)'), v.received, v.fields, v.state
            FROM versions v LEFT JOIN users u ON u.id = v.user_id WHERE v.record_id = \(recordID) ORDER BY v.seq
            """
        ).map { row in
            Wire.Version(
                seq: row.0, mutation: row.1, user: row.2, received: row.3,
                fields: try WireJSON.decode([String].self, from: row.4),
                state: try WireJSON.decode(BriefSyncModel.Record.self, from: row.5))
        }
    }
}
