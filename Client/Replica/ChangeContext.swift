import BriefSyncModel
import Foundation
import GRDB

/// One local write transaction: issues stamps and applies deltas with their outbox entries.
struct ChangeContext {
    let db: Database
    let replicaID: String
    let author: String
    let wall: Int64
    /// Makes new ids.
    let newID: @Sendable () -> String
    private var clock: HybridLogicalClock

    init(db: Database, wall: Int64, newID: @escaping @Sendable () -> String) throws {
        self.db = db
        self.wall = wall
        self.newID = newID
        replicaID = try Replica.meta(db, "replica_id") ?? ""
        author = try Replica.meta(db, "name") ?? ""
        let last = try Replica.meta(db, "clock").flatMap(Stamp.init)
        clock = HybridLogicalClock(replica: replicaID, last: last)
    }

    /// A new stamp, larger than any this replica has issued or seen.
    mutating func stamp() -> Stamp { clock.tick(wall: wall) }

    /// Persists the clock; called once at the end of the transaction.
    func finish() throws {
        try Replica.setMeta(db, "clock", clock.last.description)
    }

    /// Moves the clock past a stamp seen from elsewhere (the server).
    mutating func observe(_ stamp: Stamp) {
        // A remote stamp too far ahead is still stored; the clock just does not jump to it.
        try? clock.receive(stamp, wall: wall)
    }

    /// Applies a local change: merges `delta` into the stored record and queues it for sync.
    @discardableResult
    mutating func apply(_ delta: Record) throws -> Record {
        let current = try RecordStore.load(db, id: delta.id)
        let merged = current.map { Record.merge($0, delta) } ?? delta
        let base = try RecordStore.serverSeq(db, id: delta.id)
        try RecordStore.save(db, merged)
        let mutation = Mutation(id: newID(), replica: replicaID, delta: delta, base: base)
        try db.execute(
            sql: "INSERT INTO outbox(mutation_id, record_id, body, created) VALUES (?, ?, ?, ?)",
            arguments: [mutation.id, delta.id, try WireJSON.string(mutation), wall])
        return merged
    }
}
