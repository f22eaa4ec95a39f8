import BriefSyncModel
import Foundation
import GRDB
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

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
    /// One connection: read-write for a command that writes (``openWriter(_:maxPages:)``),
    /// read-only for one that only reads.
    let database: any DatabaseWriter
    /// ``replicaID`` once read: it never changes, and a read would wait for the transaction in
    /// progress on the one connection (a sync's prefetched pull page named it).
    private let knownID = Mutex<String?>(nil)
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
        home: URL, database: any DatabaseWriter, now: @escaping @Sendable () -> Int64,
        newID: @escaping @Sendable () -> String
    ) {
        self.home = home
        self.database = database
        self.now = now
        self.newID = newID
    }

    /// Creates a new replica in `home` (made if missing, mode 0700).
    ///
    /// The file is whole or absent: schema and identity are written to a temporary file, which is
    /// renamed into place only once complete, so a kill at any point leaves either no replica or
    /// a working one. A replica left without its identity by an older version is repaired.
    /// - Throws: ``ClientError/Code/alreadyInitialized`` if one exists; nothing is changed then.
    public static func create(
        home: URL, name: String, now: @escaping @Sendable () -> Int64 = Replica.systemNow,
        newID: @escaping @Sendable () -> String = Replica.randomIDs
    ) throws -> Replica {
        guard !name.isEmpty, !name.contains(where: { $0.isNewline || $0.isASCII && $0.asciiValue! < 32 }) else {
            throw ClientError(.invalidArgument, "the name must be one non-empty line")
        }
        let file = databaseURL(home: home)
        if FileManager.default.fileExists(atPath: file.path) {
            let database = try openWriter(file)
            let repaired = try database.write { db -> Bool in
                guard try meta(db, "replica_id") == nil else { return false }
                try writeIdentity(db, name: name, now: now(), newID: newID)
                return true
            }
            guard repaired else {
                throw ClientError(.alreadyInitialized, "a replica already exists at \(home.path); nothing changed")
            }
            return Replica(home: home, database: database, now: now, newID: newID)
        }
        do {
            try FileManager.default.createDirectory(
                at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ClientError(.fileUnreadable, "cannot create \(home.path): \(error.localizedDescription)")
        }
        removeUnfinished(home: home)
        let temp = home.appendingPathComponent("\(unfinishedPrefix)\(UUID().uuidString)")
        do {
            // 0600 from the first byte; SQLite gives its journal files the same mode.
            guard
                FileManager.default.createFile(atPath: temp.path, contents: nil, attributes: [.posixPermissions: 0o600])
            else {
                throw ClientError(.fileUnreadable, "cannot create a file in \(home.path)")
            }
            var config = Configuration()
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            // Born in WAL mode: switching a finished replica to WAL is a rollback-journal write,
            // and a kill during it leaves a hot journal a read-only open cannot roll back.
            config.journalMode = .wal
            let queue = try DatabaseQueue(path: temp.path, configuration: config)
            try ReplicaSchema.migrator.migrate(queue)
            try queue.write { db in try writeIdentity(db, name: name, now: now(), newID: newID) }
            try queue.close()
            try syncFile(temp.path)
            // Left beside a replica file deleted by hand, they would be replayed into this one.
            ReplicaLog.removeOrphans(of: file)
            guard rename(temp.path, file.path) == 0 else {
                throw ClientError(.fileUnreadable, "cannot create \(file.path): \(String(cString: strerror(errno)))")
            }
            try syncFile(home.path)
        } catch let error as DatabaseError {
            try? FileManager.default.removeItem(at: temp)
            throw ClientError(
                .fileUnreadable, "cannot create the replica at \(file.path): \(error.message ?? "\(error)")")
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
        return Replica(home: home, database: try openWriter(file), now: now, newID: newID)
    }

    /// Name of a replica file still being made by `create`.
    static let unfinishedPrefix = ".replica.sqlite.init-"

    /// Removes files left by a `create` that was killed before it finished.
    private static func removeUnfinished(home: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: home.path)) ?? []
        for name in names where name.hasPrefix(unfinishedPrefix) {
            try? FileManager.default.removeItem(at: home.appendingPathComponent(name))
        }
    }

    /// Flushes a file or folder to disk (a rename is durable only once its folder is).
    private static func syncFile(_ path: String) throws {
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { throw ClientError(.fileUnreadable, "cannot open \(path) to flush it") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw ClientError(.fileUnreadable, "cannot flush \(path) to disk") }
    }

    private static func writeIdentity(
        _ db: Database, name: String, now: Int64, newID: @Sendable () -> String
    ) throws {
        try setMeta(db, "replica_id", String(newID().filter(\.isHexDigit).prefix(16)))
        if try meta(db, "name") == nil { try setMeta(db, "name", name) }
        if try meta(db, "created") == nil { try setMeta(db, "created", String(now)) }
    }

    /// Opens the replica in `home`, repairing one that lacks its identity (made by a version whose
    /// `init` could be killed half-way).
    /// - Throws: ``ClientError/Code/notInitialized`` if there is none (suggesting `brief init`).
    /// - Parameter readOnly: for commands that only read: no write lock and no journal set-up.
    ///   A replica that needs a migration or its identity is opened read-write.
    public static func open(
        home: URL, readOnly: Bool = false, now: @escaping @Sendable () -> Int64 = Replica.systemNow,
        newID: @escaping @Sendable () -> String = Replica.randomIDs
    ) throws -> Replica {
        let file = databaseURL(home: home)
        // stat(2), not FileManager's attributes: those look up the owner's user and group names
        // (NSS reads /etc/passwd and /etc/group) on every command.
        var info = stat()
        guard stat(file.path, &info) == 0 else {
            throw ClientError(.notInitialized, "no replica at \(home.path); run 'brief init' first (or pass --home)")
        }
        // Replicas made by older versions were 0644: notes are nobody else's business.
        if info.st_mode & 0o077 != 0 { chmod(file.path, 0o600) }
        if readOnly, let database = try openReadOnly(file) {
            return Replica(home: home, database: database, now: now, newID: newID)
        }
        let database = try openWriter(file)
        do {
            // A read first: every command opens the replica, and the identity write is only
            // needed by the rare replica that lacks it.
            guard try database.read({ try meta($0, "replica_id") }) == nil else {
                return Replica(home: home, database: database, now: now, newID: newID)
            }
            try database.write { db in
                if try meta(db, "replica_id") == nil {
                    try writeIdentity(
                        db, name: ProcessInfo.processInfo.environment["USER"] ?? "me", now: now(), newID: newID)
                }
            }
        } catch let error as DatabaseError {
            throw ClientError(
                .fileUnreadable, "cannot open the replica at \(file.path): \(error.message ?? "\(error)")")
        }
        return Replica(home: home, database: database, now: now, newID: newID)
    }

    /// A read-only connection on a replica that is up to date, has its identity and a finished
    /// search index (``DeferredIndexes``), else `nil`.
    /// One connection, as for writing: a read-only `DatabasePool` opened two (its writer and a
    /// reader), each parsing the schema.
    private static func openReadOnly(_ file: URL) throws -> DatabaseQueue? {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        do {
            let queue = try DatabaseQueue(path: file.path, configuration: config)
            let ready = try queue.read { db in
                try ReplicaSchema.migrator.hasCompletedMigrations(db) && meta(db, "replica_id") != nil
                    && DeferredIndexes.indexedTo(db) == nil
            }
            return ready ? queue : nil
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY {
            // A hot journal or a WAL without its index (left by a killed writer): only a
            // read-write open can recover them.
            return nil
        } catch let error as DatabaseError {
            throw ClientError(
                .fileUnreadable, "cannot open the replica at \(file.path): \(error.message ?? "\(error)")")
        }
    }

    /// Opens the replica in `home` capped at `maxPages` pages: what a full disk does, for tests.
    package static func open(home: URL, maxPages: Int) throws -> Replica {
        Replica(
            home: home, database: try openWriter(databaseURL(home: home), maxPages: maxPages), now: systemNow,
            newID: randomIDs)
    }

    /// The connection a command that writes uses: a `DatabaseQueue` on the WAL-mode file.
    ///
    /// A command is a process that runs one or a few transactions in order, so it needs one
    /// connection, not a pool. A `DatabasePool` also opened a reader connection per command and,
    /// finding no WAL file (the last close deletes it), wrote and dropped a throwaway table to make
    /// one: a write transaction and a new schema version before the command's own.
    private static func openWriter(_ file: URL, maxPages: Int? = nil) throws -> DatabaseQueue {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            ReplicaLog.keepOnClose(db)
            if let maxPages { try db.execute(sql: "PRAGMA max_page_count = \(maxPages)") }
        }
        do {
            let queue = try DatabaseQueue(path: file.path, configuration: config)
            // Replicas are born in WAL mode (`create`), which the file keeps; one that is not (a
            // copy made by hand, an old file) is switched here, once. Migrations are checked in
            // the same read: migrating takes the write lock even when there is nothing to do.
            let (journal, migrated) = try queue.read { db in
                (
                    try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                    try ReplicaSchema.migrator.hasCompletedMigrations(db)
                )
            }
            if journal != "wal" {
                try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
            }
            if !migrated { try ReplicaSchema.migrator.migrate(queue) }
            return queue
        } catch let error as DatabaseError {
            throw ClientError(
                .fileUnreadable, "cannot open the replica at \(file.path): \(error.message ?? "\(error)")")
        }
    }

    /// A writer leaves its log behind (``ReplicaLog``); only a large one is folded back here.
    deinit { ReplicaLog.foldIfLarge(self) }

    /// Wall-clock milliseconds since 1970.
    public static let systemNow: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

    /// This replica's id (random, made at `init`).
    public var replicaID: String {
        if let id = knownID.withLock({ $0 }) { return id }
        guard let id = try? database.read({ try Replica.meta($0, "replica_id") }) else { return "" }
        knownID.withLock { $0 = id }
        return id
    }

    /// The name annotations are signed with: the `init` name, or the user after `brief login`.
    public var name: String { (try? database.read { try Replica.meta($0, "name") }) ?? "" }

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
        try database.read(body)
    }

    /// Turns SQLite's checkpoint inside the commit that takes the log past 1,000 pages on (its
    /// default) or off (while ``PullCheckpoints`` copies the log beside the writer).
    func automaticCheckpoints(_ on: Bool) throws {
        try database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_autocheckpoint = \(on ? 1000 : 0)") }
    }

    /// Runs `body` in one write transaction with a change context; nothing is kept if it throws.
    func change<T>(_ body: (inout ChangeContext) throws -> T) throws -> T {
        try database.write { db in
            var ctx = try ChangeContext(db: db, wall: now(), newID: newID)
            let result = try body(&ctx)
            try ctx.finish()
            return result
        }
    }
}
