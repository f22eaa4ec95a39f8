import CSQLiteConfig
import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// What a command leaves in the replica's write-ahead log when it closes.
///
/// SQLite's last connection to close copies the log into `replica.sqlite` and deletes it: for a
/// command that wrote one note, two more fdatasyncs (log, file) after its commit, a third and a
/// folder sync when the next command makes the log again — 0.4 ms of an 8.5 ms `annotate` on a
/// quiet disk, 2.4 ms of 12.6 on a busy one (issue 12). Commits are durable in the log the moment they return (`synchronous = FULL`), and
/// any later connection, read-only ones included, reads them from there, so a writer leaves the
/// log as it is. What that costs the next command is rebuilding the log's index: one read of
/// the log. The log is kept short for that read: SQLite's own checkpoint inside the commit that
/// takes it past 1,000 pages stays, and a writer that closes on a log of ``foldThreshold`` bytes
/// or more copies it back and truncates it.
enum ReplicaLog {
    /// 1 MiB: 256 pages; its rebuild is a fraction of a millisecond.
    static let foldThreshold = 1 << 20

    /// The log beside the database `file`.
    static func logPath(_ file: URL) -> String { file.path + "-wal" }

    /// Removes what SQLite keeps beside a database `file` that no longer exists (its log, the
    /// log's index, a rollback journal): they belong to that database, and a new file renamed
    /// into its place would have them replayed into it.
    static func removeOrphans(of file: URL) {
        for path in [logPath(file), file.path + "-shm", file.path + "-journal"] { unlink(path) }
    }

    /// Turns SQLite's checkpoint on close off for the writer `db`.
    static func keepOnClose(_ db: Database) {
        _ = brief_sqlite_no_checkpoint_on_close(db.sqliteConnection, 1)
    }

    /// Copies a log of ``foldThreshold`` bytes or more back into the file and truncates it, if
    /// no other process is reading (never waiting for one: a `sync --watch` beside this command
    /// folds it at its own close, or a later command does).
    static func foldIfLarge(_ replica: Replica) {
        guard !replica.database.configuration.readonly else { return }
        var info = stat()
        guard stat(logPath(Replica.databaseURL(home: replica.home)), &info) == 0, info.st_size >= foldThreshold else {
            return
        }
        // Reentrant: the last reference to a replica may go inside one of its own accesses.
        try? replica.database.unsafeReentrantWrite { db in
            try db.execute(sql: "PRAGMA busy_timeout = 0")
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }
}
