import Dispatch
import GRDB

/// Copies the write-ahead log of a pull of many pages into the database file on a connection of
/// its own, beside the writer applying pages instead of inside its commits.
///
/// SQLite checkpoints inside the commit that takes the log past 1,000 pages: that commit copies
/// every page of the log into the database file and fsyncs it before the next page can be
/// applied. A clone's writer spent ~70 ms of a 52,000-record clone in those checkpoints, while the
/// other core waited on it. From a pull's second page on, the writer's automatic checkpoint is off
/// and each page's commit asks for a passive checkpoint here; asks that come while one runs are
/// merged into one more (a dispatch source adds them up). A passive checkpoint never blocks the
/// writer or a reader, and durability does not depend on it: a commit is in the fsynced log.
///
/// `@unchecked`: every stored property is immutable, and a dispatch source's `add(data:)` and
/// `cancel()` may be called from any thread (Dispatch does not mark its sources `Sendable`).
final class PullCheckpoints: @unchecked Sendable {
    private let replica: Replica
    private let connection: DatabaseQueue
    private let queue = DispatchQueue(label: "brief.pull-checkpoints")
    private let asks: any DispatchSourceUserDataAdd

    /// Opens the checkpointing connection and turns the writer's automatic checkpoint off.
    init(_ replica: Replica) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        // The checkpoint fsyncs the database file before the log may be reused.
        config.prepareDatabase { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        let connection = try DatabaseQueue(path: Replica.databaseURL(home: replica.home).path, configuration: config)
        self.replica = replica
        self.connection = connection
        asks = DispatchSource.makeUserDataAddSource(queue: queue)
        // A failed checkpoint (disk full, I/O error) loses nothing: the pages stay in the log,
        // the next one tries again, and the writer reports such errors on its own commits.
        asks.setEventHandler { _ = try? connection.inDatabase { try $0.checkpoint(.passive) } }
        asks.activate()
        try replica.automaticCheckpoints(false)
    }

    /// A page has committed: copy the log forward soon.
    func committed() {
        asks.add(data: 1)
    }

    /// Copies what the log still holds once more, then gives the writer its automatic
    /// checkpoint back (also after a failed pull).
    func finish() async {
        asks.cancel()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            queue.async {
                _ = try? self.connection.inDatabase { try $0.checkpoint(.passive) }
                done.resume()
            }
        }
        try? replica.automaticCheckpoints(true)
    }
}
