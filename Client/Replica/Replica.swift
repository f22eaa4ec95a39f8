import BriefSyncModel
import Foundation
import GRDB

/// A local replica: one SQLite file holding every record this person can see, the outbox of
/// changes not yet acknowledged by a server, and a full-text index.
///
/// Every command is one transaction. A change writes the merged record state, its outbox entry,
/// its tags and its search text together, so after a crash either all of them are there or none.
///
/// Time is injected (`now`, milliseconds since 1970); the replica reads no clock of its own.
public final class Replica: Sendable {
    /// The folder holding the replica (`replica.sqlite`, `credentials.json`).
    public let home: URL
    let pool: DatabasePool
    let now: @Sendable () -> Int64
    /// Makes new record and mutation ids (random UUIDs; seeded in simulations).
    let newID: @Sendable () -> String

    /// Random version 4 UUIDs from the system generator.
    public static let randomIDs: @Sendable () -> String = {
        var rng = SystemRandomNumberGenerator()
        return Identifier.uuid(using: &rng)
    }

    /// The SQLite file inside `home`.
    public static func databaseURL(home: URL) -> URL { home.appendingPathComponent("replica.sqlite") }

    private init(
        home: URL, pool: DatabasePool, now: @escaping @Sendable () -> Int64, newID: @escaping @Sendable () -> String
    ) {
        self.home = home
        self.pool = pool
        self.now = now
        self.newID = newID
    }

    /// Creates a new replica in `home` (made if missing, mode 0700).
    /// - Throws: ``ClientError/Code/alreadyInitialized`` if one exists; nothing is changed then.
    public static func create(
        home: URL, name: String, now: @escaping @Sendable () -> Int64 = Replica.systemNow,
        newID: @escaping @Sendable () -> String = Replica.randomIDs
    ) throws -> Replica {
        let file = databaseURL(home: home)
        guard !FileManager.default.fileExists(atPath: file.path) else {
            throw ClientError(.alreadyInitialized, "a replica already exists at \(home.path); nothing changed")
        }
        guard !name.isEmpty, !name.contains(where: { $0.isNewline }) else {
            throw ClientError(.invalidArgument, "the name must be one non-empty line")
        }
        do {
            try FileManager.default.createDirectory(
                at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ClientError(.fileUnreadable, "cannot create \(home.path): \(error.localizedDescription)")
        }
        let replica = try Replica(home: home, pool: openPool(file), now: now, newID: newID)
        let id = String(newID().filter(\.isHexDigit).prefix(16))
        try replica.pool.write { db in
            try setMeta(db, "replica_id", id)
            try setMeta(db, "name", name)
            try setMeta(db, "created", String(now()))
        }
        return replica
    }

    /// Opens the replica in `home`.
    /// - Throws: ``ClientError/Code/notInitialized`` if there is none (suggesting `brief init`).
    public static func open(
        home: URL, now: @escaping @Sendable () -> Int64 = Replica.systemNow,
        newID: @escaping @Sendable () -> String = Replica.randomIDs
    ) throws -> Replica {
        let file = databaseURL(home: home)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw ClientError(.notInitialized, "no replica at \(home.path); run 'brief init' first (or pass --home)")
        }
        return try Replica(home: home, pool: openPool(file), now: now, newID: newID)
    }

    private static func openPool(_ file: URL) throws -> DatabasePool {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            let pool = try DatabasePool(path: file.path, configuration: config)
            try ReplicaSchema.migrator.migrate(pool)
            return pool
        } catch let error as DatabaseError {
            throw ClientError(
                .fileUnreadable, "cannot open the replica at \(file.path): \(error.message ?? "\(error)")")
        }
    }

    /// Wall-clock milliseconds since 1970.
    public static let systemNow: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

    /// This replica's id (random, made at `init`).
    public var replicaID: String { (try? pool.read { try Replica.meta($0, "replica_id") }) ?? "" }

    /// The name annotations are signed with: the `init` name, or the user after `brief login`.
    public var name: String { (try? pool.read { try Replica.meta($0, "name") }) ?? "" }

    static func meta(_ db: Database, _ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
    }

    static func setMeta(_ db: Database, _ key: String, _ value: String?) throws {
        if let value {
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", arguments: [key, value])
        } else {
            try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key])
        }
    }

    /// Reads in a snapshot.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    /// Runs `body` in one write transaction with a change context; nothing is kept if it throws.
    func change<T>(_ body: (inout ChangeContext) throws -> T) throws -> T {
        try pool.write { db in
            var ctx = try ChangeContext(db: db, wall: now(), newID: newID)
            let result = try body(&ctx)
            try ctx.finish()
            return result
        }
    }
}
