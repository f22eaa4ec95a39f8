import BriefSyncModel
import GRDB

/// Rewrites of the outbox for records the server never had.
enum Outbox {
    /// One record to queue again: its id and, for a briefing, the team register to add.
    struct Requeue {
        var id: String
        var team: Register? = nil
    }

    /// Queues every refused and every still-queued change of `records` (records the server never
    /// had) again, before everything else: record by record in the given order, each record's
    /// changes in the order they were made, under new mutation ids (a refused id would only get
    /// its refusal back). A team to add goes into the record's first change. Nobody has seen
    /// these changes, so rewriting them is safe; keeping them one by one keeps every version the
    /// author wrote in the server's history.
    static func requeueFirst(_ ctx: inout ChangeContext, _ records: [Requeue]) throws {
        let db = ctx.db
        var queue: [Mutation] = []
        for r in records {
            let refused = try String.fetchAll(
                db, sql: "SELECT body FROM rejected WHERE record_id = ? ORDER BY at, rowid", arguments: [r.id])
            let queued = try String.fetchAll(
                db, sql: "SELECT body FROM outbox WHERE record_id = ? ORDER BY seq", arguments: [r.id])
            var mutations = try (refused + queued).map { try WireJSON.decode(Mutation.self, from: $0) }
            if mutations.isEmpty {
                guard r.team != nil, let state = try RecordStore.load(db, id: r.id) else { continue }
                mutations = [Mutation(id: "", replica: ctx.replicaID, delta: state)]
            }
            if let team = r.team { mutations[0].delta.fields[Briefing.Field.team] = team }
            var renamed = false
            for i in mutations.indices {
                mutations[i].id = ctx.newID()
                mutations[i].replica = ctx.replicaID
                mutations[i].base = 0
                // Signed with the name given at `init`; the server takes only the user's own name.
                if let author = mutations[i].delta.fields[Annotation.Field.author], author.value != .string(ctx.author)
                {
                    mutations[i].delta.fields[Annotation.Field.author] = Register(.string(ctx.author), at: author.stamp)
                    renamed = true
                }
            }
            if renamed, var state = try RecordStore.load(db, id: r.id),
                let author = state.fields[Annotation.Field.author]
            {
                state.fields[Annotation.Field.author] = Register(.string(ctx.author), at: author.stamp)
                try RecordStore.save(db, state)
            }
            try db.execute(sql: "DELETE FROM outbox WHERE record_id = ?", arguments: [r.id])
            try db.execute(sql: "DELETE FROM rejected WHERE record_id = ?", arguments: [r.id])
            queue += mutations
        }
        let front = try Int64.fetchOne(db, sql: "SELECT min(seq) FROM outbox") ?? 1
        for (i, mutation) in queue.enumerated() {
            try ctx.enqueue(mutation, seq: front - Int64(queue.count - i))
        }
    }
}
