import Dispatch
import GRDB
import Synchronization

/// Copies the write-ahead log into the database file on a connection of its own, beside the one
/// writer instead of inside its commits.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL pages: the writer
/// then copies every page in the log to the database file and fsyncs it before its transaction's
/// pushes are answered and before the next transaction can begin. Under a push load that was
/// two fifths of the writer's commit time, with every other push waiting behind it. Here the writer's
/// automatic checkpoint is off; after each commit ``committed()`` starts a passive checkpoint
/// here unless one is running (then one more runs after it, covering every commit since).
/// A passive checkpoint never blocks the writer or readers, and durability does not depend on it:
/// a committed transaction is in the fsynced WAL, which SQLite replays if the process dies.
package final class Checkpointer: Sendable {
    private struct State {
        var running = false
        var again = false
        var idle: [CheckedContinuation<Void, Never>] = []
    }

    private let connection: DatabaseQueue
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "briefd.checkpointer")

    /// Opens the checkpointing connection on `path` (a WAL database the writer has opened).
    init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // The checkpoint fsyncs the database file before the log may be reused.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        connection = try DatabaseQueue(path: path, configuration: config)
    }

    /// A transaction has committed: copy the log forward soon.
    func committed() {
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
