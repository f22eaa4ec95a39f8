import Dispatch
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the write-ahead log into the database file on a connection of its own, beside the one
/// writer instead of inside its commits.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL pages: the writer
/// then copies every page in the log to the database file and fsyncs it before its transaction's
/// pushes are answered and before the next transaction can begin. Under a push load that was
/// two fifths of the writer's commit time, with every other push waiting behind it. Here the writer's
/// automatic checkpoint is off; after a commit that leaves `threshold` frames or more in the log
/// (SQLite's own default, 1,000), ``committed()`` starts a passive checkpoint here unless one is
/// running (then one more runs after it, covering every commit since).
///
/// Not after every commit: a checkpoint that catches up lets the next commit start the log
/// over, and with `synchronous=FULL` SQLite then writes and fsyncs a new log header before the
/// commit's own fsync: on a quiet server, two fsyncs a push instead of one, and the checkpoint's
/// two more (log, database file) beside the answer.
/// A passive checkpoint never blocks the writer or readers, and durability does not depend on it:
/// a committed transaction is in the fsynced WAL, which SQLite replays if the process dies.
package final class Checkpointer: Sendable {
    /// The frames in the log after the writer's last commit, as SQLite's WAL hook reports them.
    final class LogFrames: Sendable {
        let count = Atomic<Int32>(0)
    }

    private struct State {
        var running = false
        var again = false
        var idle: [CheckedContinuation<Void, Never>] = []
    }

    private let connection: DatabaseQueue
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "briefd.checkpointer")
    private let frames = LogFrames()
    /// Frames in the log from which a commit starts a checkpoint.
    let threshold: Int32

    /// Opens the checkpointing connection on `path` (a WAL database the writer has opened).
    init(path: String, threshold: Int32 = 1_000) throws {
        self.threshold = threshold
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // The checkpoint fsyncs the database file before the log may be reused.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        connection = try DatabaseQueue(path: path, configuration: config)
    }

    /// Has SQLite tell this checkpointer how long the log is after each commit of `writer` (the
    /// one connection that writes; its automatic checkpoint, which uses the same hook, is off).
    ///
    /// The hook holds its counter for the life of the process: the writer may outlive this
    /// object by a few statements when a store closes, and a counter is a few bytes.
    func watch(_ writer: Database) {
        let context = Unmanaged.passRetained(frames).toOpaque()
        sqlite3_wal_hook(
            writer.sqliteConnection,
            { context, _, _, frames in
                if let context {
                    Unmanaged<LogFrames>.fromOpaque(context).takeUnretainedValue().count.store(
                        frames, ordering: .relaxed)
                }
                return SQLITE_OK
            }, context)
    }

    /// A transaction has committed: copy the log forward soon if it has grown to `threshold`.
    func committed() {
        guard frames.count.load(ordering: .relaxed) >= threshold else { return }
        start()
    }

    /// Copies the log forward now, however short it is (or once more after the running one).
    package func start() {
        let start = state.withLock { s -> Bool in
            if s.running {
                s.again = true
                return false
            }
            s.running = true
            return true
        }
        if start { queue.async { self.run() } }
    }

    /// Returns once no checkpoint is running or due (for tests).
    package func settled() async {
        await withCheckedContinuation { done in
            let now = state.withLock { s -> Bool in
                if !s.running { return true }
                s.idle.append(done)
                return false
            }
            if now { done.resume() }
        }
    }

    private func run() {
        while true {
            // A failed checkpoint (disk full, I/O error) loses nothing: the pages stay in the WAL
            // and the next one tries again; the writer reports such errors on its own commits.
            _ = try? connection.inDatabase { try $0.checkpoint(.passive) }
            let waiting = state.withLock { s -> [CheckedContinuation<Void, Never>]? in
                if s.again {
                    s.again = false
                    return nil
                }
                s.running = false
                defer { s.idle = [] }
                return s.idle
            }
            guard let waiting else { continue }
            for w in waiting { w.resume() }
            return
        }
    }
}
