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
    /// - Throws: ``ClientError/Code/tooLarge`` for a change the server would refuse by its size:
    ///   refused here, before it can block the outbox.
    @discardableResult
    mutating func apply(_ delta: Record) throws -> Record {
        let current = try RecordStore.load(db, id: delta.id)
        let merged = current.map { Record.merge($0, delta) } ?? delta
        let base = try RecordStore.serverSeq(db, id: delta.id)
        try RecordStore.save(db, merged)
        try enqueue(Mutation(id: newID(), replica: replicaID, delta: delta, base: base))
        return merged
    }

    /// Queues a mutation at the end of the outbox, or at `seq`.
    func enqueue(_ mutation: Mutation, seq: Int64? = nil) throws {
        let body = try WireJSON.string(mutation)
        let size = body.utf8.count
        guard size <= Wire.Limits.maxMutationBytes else {
            throw ClientError(
                .tooLarge,
                "this change is \(ByteCount(size)) as sent to the server; one change may be at most \(ByteCount(Wire.Limits.maxMutationBytes)): split the briefing into smaller ones or shorten the text; nothing changed"
            )
        }
        try db.execute(
            sql: "INSERT INTO outbox(seq, mutation_id, record_id, body, created) VALUES (?, ?, ?, ?, ?)",
            arguments: [seq, mutation.id, mutation.delta.id, body, wall])
    }
}

/// A byte count as people read it ("2.0 MiB", "512 KiB", "900 bytes").
struct ByteCount: CustomStringConvertible {
    let bytes: Int
    init(_ bytes: Int) { self.bytes = bytes }
    var description: String {
        if bytes >= 1 << 20 {
            let tenths = bytes * 10 / (1 << 20)
            return "\(tenths / 10).\(tenths % 10) MiB"
        }
        if bytes >= 1 << 10 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
