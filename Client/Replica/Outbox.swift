import BriefSyncModel
import GRDB

/// Rewrites of the outbox for records the server never had.
enum Outbox {
    /// Replaces every queued or refused change of `records` (records the server never had) by one
    /// mutation each carrying the record's whole local state, queued before everything else in
    /// the given order. Safe because nobody has seen these changes: the whole state is exactly
    /// the union of them.
    static func requeueFirst(_ ctx: inout ChangeContext, _ records: [Record]) throws {
        guard !records.isEmpty else { return }
        let db = ctx.db
        for r in records {
            try db.execute(sql: "DELETE FROM outbox WHERE record_id = ?", arguments: [r.id])
            try db.execute(sql: "DELETE FROM rejected WHERE record_id = ?", arguments: [r.id])
        }
        let front = try Int64.fetchOne(db, sql: "SELECT min(seq) FROM outbox") ?? 1
        for (i, r) in records.enumerated() {
            let mutation = Mutation(id: ctx.newID(), replica: ctx.replicaID, delta: r, base: 0)
            try ctx.enqueue(mutation, seq: front - Int64(records.count - i))
        }
    }
}
