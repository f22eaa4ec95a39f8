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
public final class SQLiteSyncStore: RowStore {
    let pool: DatabasePool
    public let groupCommit: GroupCommit?
    /// Copies the WAL into the database file after commits, off the writer.
    let checkpointer: Checkpointer

    /// Opens (creating if needed) `briefd.sqlite` in `folder`.
    /// - Throws: ``StoreError`` when the folder or database cannot be written, or is damaged:
    ///   the server refuses to start rather than answer 500 to every request.
    /// - Parameter groupCommit: whether concurrent pushes share a transaction and its fsync
    ///   (``GroupCommit``).
    public convenience init(folder: URL, groupCommit: Bool = true) throws {
        try self.init(folder: folder, maxPages: nil, groupCommit: groupCommit)
    }

    /// - Parameter maxPages: a cap on the database's size in pages, to test what a full disk does.
    package init(folder: URL, maxPages: Int?, groupCommit: Bool = true) throws {
        self.groupCommit = groupCommit ? GroupCommit() : nil
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
            // GRDB sets `synchronous = NORMAL` when it puts a pool's writer in WAL mode, after
            // `prepareDatabase`: a commit could then be lost to a power cut after it was
            // acknowledged. FULL again, on the one connection that writes.
            //
            // The writer's checkpoints run beside it (``Checkpointer``), and its page cache holds
            // 64 MiB instead of 2: a push touches index and table pages all over the file, and
            // at team scale a 2 MiB cache sent most of those lookups to the kernel.
            try pool.writeWithoutTransaction {
                try $0.execute(
                    sql: "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = -65536")
            }
            try ServerSchema.migrator.migrate(pool)
            let checkpointer = try Checkpointer(path: file.path)
            pool.writeWithoutTransaction { checkpointer.watch($0) }
            self.checkpointer = checkpointer
        } catch let error as DatabaseError {
            throw Self.storeError(error, file: file.path)
        }
        try pool.write { try Self.prepareMeta(SQLiteTransaction(db: $0)) }
        // What a previous run left in the log, copied over once at start.
        checkpointer.start()
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

    public func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteTransaction) throws -> T) async throws -> T {
        do {
            return try await pool.read { try body(SQLiteTransaction(db: $0)) }
        } catch let error as DatabaseError {
            throw Self.storeError(error, file: "briefd.sqlite")
        }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteTransaction) throws -> T) async throws -> T {
        do {
            defer { checkpointer.committed() }
            return try await pool.write { try body(SQLiteTransaction(db: $0)) }
        } catch let error as DatabaseError {
            throw Self.storeError(error, file: "briefd.sqlite")
        }
    }

    /// The epoch as `db` sees it (for backups, which read outside the pool).
    static func epoch(_ db: Database) throws -> Wire.Epoch { try epoch(SQLiteTransaction(db: db)) }

    /// The members of `team`, by name.
    static func members(_ db: Database, team: String) throws -> [ServerTeam.Member] {
        try SQLiteTransaction(db: db).members(team: team)
    }
}
