import BriefSyncModel
import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// The embedded store: one SQLite database (WAL, `synchronous=FULL`) in the data folder.
///
/// Admin commands open the same file while the server runs; SQLite's locking and a busy timeout
/// keep them safe.
public final class SQLiteSyncStore: SyncStore {
    let pool: DatabasePool

    /// Opens (creating if needed) `briefd.sqlite` in `folder`.
    /// - Throws: ``StoreError`` when the folder or database cannot be written, or is damaged:
    ///   the server refuses to start rather than answer 500 to every request.
    public convenience init(folder: URL) throws {
        try self.init(folder: folder, maxPages: nil)
    }

    /// - Parameter maxPages: a cap on the database's size in pages, to test what a full disk does.
    package init(folder: URL, maxPages: Int?) throws {
        let file = folder.appendingPathComponent("briefd.sqlite")
        do {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError(.unwritable, "cannot create the data folder \(folder.path): \(error.localizedDescription)")
        }
        guard access(folder.path, W_OK) == 0,
            !FileManager.default.fileExists(atPath: file.path) || access(file.path, W_OK) == 0
        else {
            throw StoreError(
                .unwritable,
                "the data folder \(folder.path) is not writable by this user; fix its owner or permissions (briefd needs to write briefd.sqlite and its journal there)"
            )
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            if let maxPages { try db.execute(sql: "PRAGMA max_page_count = \(maxPages)") }
        }
        do {
            pool = try DatabasePool(path: file.path, configuration: config)
            try ServerSchema.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw Self.storeError(error, file: file.path)
        }
        try pool.write { db in
            if try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'epoch'") == nil {
                try db.execute(
                    sql: "INSERT INTO meta(key, value) VALUES ('epoch', ?)",
                    arguments: [Self.newEpochName()])
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('seq', '0')")
            }
        }
    }

    /// A database failure as an admin can act on it.
    static func storeError(_ error: DatabaseError, file: String) -> StoreError {
        switch error.resultCode {
        case .SQLITE_FULL:
            return StoreError(.full, "the disk holding \(file) is full; free space (nothing was applied)")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN:
            return StoreError(.unwritable, "cannot write \(file): \(error.message ?? "read-only"); fix its permissions")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return StoreError(
                .damaged, "\(file) is damaged (\(error.message ?? "not a database")); restore it from a backup")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError(.unavailable, "\(file) is locked by another process; try again")
        default:
            return StoreError(
                .unavailable, "\(file) failed: \(error.message ?? "SQLite error \(error.resultCode.rawValue)")")
        }
    }

    /// The one identity rule for names: valid (no control characters, NUL included), stored in
    /// NFC, compared byte for byte; a name canonically equal to an existing one is refused.
    static func identity(_ name: String, what: String) throws -> String {
        if let problem = Wire.Validation.nameProblem(name, what: what) { throw APIError.badRequest(problem) }
        return name.precomposedStringWithCanonicalMapping
    }

    public func epoch() async throws -> Wire.Epoch {
        try await pool.read { try Self.epoch($0) }
    }

    static func epoch(_ db: Database) throws -> Wire.Epoch {
        let epoch = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'epoch'") ?? ""
        let ancestors = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'ancestors'").map {
            try WireJSON.decode([Wire.Epoch.Ancestor].self, from: $0)
        }
        return Wire.Epoch(epoch: epoch, ancestors: ancestors ?? [])
    }

    /// A new epoch name: 8 random hex digits.
    static func newEpochName() -> String { UUID().uuidString.lowercased().prefix(8).description }

    public func count(after seq: Int64, teams: [String]) async throws -> Int {
        guard !teams.isEmpty else { return 0 }
        let marks = Array(repeating: "?", count: teams.count).joined(separator: ",")
        return try await pool.read { db in
            var args: [any DatabaseValueConvertible] = [seq]
            args.append(contentsOf: teams)
            return try Int.fetchOne(
                db, sql: "SELECT count(*) FROM records WHERE seq > ? AND team IN (\(marks))",
                arguments: StatementArguments(args)) ?? 0
        }
    }

    // MARK: Accounts

    public func addUser(name: String, passwordHash: String, now: Int64) async throws -> ServerUser {
        let name = try Self.identity(name, what: "the user name")
        return try await pool.write { db in
            let existing = try String.fetchAll(db, sql: "SELECT name FROM users")
            if let same = existing.first(where: {
                $0.precomposedStringWithCanonicalMapping.utf8.elementsEqual(name.utf8)
            }) {
                throw APIError.conflict(
                    same == name ? "user '\(name)' already exists" : "a user with an equivalent name ('\(same)') exists"
                )
            }
            try db.execute(
                sql: "INSERT INTO users(name, password, created) VALUES (?, ?, ?)",
                arguments: [name, passwordHash, now])
            return ServerUser(id: db.lastInsertedRowID, name: name, disabled: false)
        }
    }

    public func user(named name: String) async throws -> (user: ServerUser, passwordHash: String)? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT id, name, disabled, password FROM users WHERE name = ?", arguments: [name]
            ).map {
                (ServerUser(id: $0["id"], name: $0["name"], disabled: $0["disabled"]), $0["password"])
            }
        }
    }

    public func users() async throws -> [ServerUser] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, disabled FROM users ORDER BY name").map {
                ServerUser(id: $0["id"], name: $0["name"], disabled: $0["disabled"])
            }
        }
    }

    public func setDisabled(_ name: String, _ disabled: Bool) async throws {
        let name = name.precomposedStringWithCanonicalMapping
        try await pool.write { db in
            try db.execute(sql: "UPDATE users SET disabled = ? WHERE name = ?", arguments: [disabled, name])
            guard db.changesCount == 1 else { throw APIError.notFound("no user '\(name)'") }
            if disabled {
                try db.execute(
                    sql: "UPDATE tokens SET revoked = 1 WHERE user_id = (SELECT id FROM users WHERE name = ?)",
                    arguments: [name])
            }
        }
    }

    public func addTeam(name: String, now: Int64) async throws {
        let name = try Self.identity(name, what: "the team name")
        try await pool.write { db in
            let existing = try String.fetchAll(db, sql: "SELECT name FROM teams")
            if let same = existing.first(where: {
                $0.precomposedStringWithCanonicalMapping.utf8.elementsEqual(name.utf8)
            }) {
                throw APIError.conflict(
                    same == name ? "team '\(name)' already exists" : "a team with an equivalent name ('\(same)') exists"
                )
            }
            try db.execute(sql: "INSERT INTO teams(name, created) VALUES (?, ?)", arguments: [name, now])
        }
    }

    public func setMember(team: String, user: String, role: Wire.Role?) async throws {
        let team = team.precomposedStringWithCanonicalMapping
        let user = user.precomposedStringWithCanonicalMapping
        try await pool.write { db in
            guard let teamID = try Int64.fetchOne(db, sql: "SELECT id FROM teams WHERE name = ?", arguments: [team])
            else {
                throw APIError.notFound("no team '\(team)'")
            }
            guard let userID = try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE name = ?", arguments: [user])
            else {
                throw APIError.notFound("no user '\(user)'")
            }
            if let role {
                try db.execute(
                    sql:
                        "INSERT INTO members(team_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET role = excluded.role",
                    arguments: [teamID, userID, role.rawValue])
            } else {
                try db.execute(
                    sql: "DELETE FROM members WHERE team_id = ? AND user_id = ?", arguments: [teamID, userID])
                guard db.changesCount == 1 else { throw APIError.notFound("\(user) is not a member of \(team)") }
            }
        }
    }

    public func teams() async throws -> [ServerTeam] {
        try await pool.read { db in
            let names = try String.fetchAll(db, sql: "SELECT name FROM teams ORDER BY name")
            return try names.map { ServerTeam(name: $0, members: try Self.members(db, team: $0)) }
        }
    }

    /// The members of `team`, by name.
    static func members(_ db: Database, team: String) throws -> [ServerTeam.Member] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT u.name, m.role FROM members m JOIN users u ON u.id = m.user_id
                JOIN teams t ON t.id = m.team_id WHERE t.name = ? ORDER BY u.name
                """, arguments: [team]
        ).map { ServerTeam.Member(user: $0[0], role: Wire.Role(rawValue: $0[1]) ?? .viewer) }
    }

    public func memberships(userID: Int64) async throws -> [Wire.Membership] {
        try await pool.read { try Self.memberships($0, userID: userID) }
    }

    static func memberships(_ db: Database, userID: Int64) throws -> [Wire.Membership] {
        try Row.fetchAll(
            db,
            sql:
                "SELECT t.name, m.role FROM members m JOIN teams t ON t.id = m.team_id WHERE m.user_id = ? ORDER BY t.name",
            arguments: [userID]
        ).compactMap { row in Wire.Role(rawValue: row[1]).map { Wire.Membership(team: row[0], role: $0) } }
    }

    // MARK: Tokens

    public func addToken(hash: String, userID: Int64, now: Int64, expires: Int64) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO tokens(hash, user_id, created, expires) VALUES (?, ?, ?, ?)",
                arguments: [hash, userID, now, expires])
        }
    }

    public func user(tokenHash: String, now: Int64) async throws -> ServerUser? {
        try await pool.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT u.id, u.name, u.disabled FROM tokens t JOIN users u ON u.id = t.user_id
                    WHERE t.hash = ? AND t.revoked = 0 AND t.expires > ? AND u.disabled = 0
                    """, arguments: [tokenHash, now]
            ).map { ServerUser(id: $0["id"], name: $0["name"], disabled: $0["disabled"]) }
        }
    }

    public func revokeToken(hash: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE tokens SET revoked = 1 WHERE hash = ?", arguments: [hash])
        }
    }
}
