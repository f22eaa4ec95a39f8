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
            if let team = r.team {
                // The team goes into the first change only: a later change naming another team
                // would read to the server as a move, which it refuses.
                for i in mutations.indices { mutations[i].delta.fields[Briefing.Field.team] = nil }
                mutations[0].delta.fields[Briefing.Field.team] = team
            }
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

    /// Gives `team` to `briefings` the server never had: their state takes the team, and their
    /// changes, then those of their annotations the server never had, are queued again first
    /// (``requeueFirst(_:_:)``), oldest record first. Used by a first login (`adoptTeam`) and
    /// by `brief move` of a briefing not yet synced.
    static func giveTeam(_ ctx: inout ChangeContext, _ briefings: [Record], team: String) throws {
        guard !briefings.isEmpty else { return }
        var given: [(record: Record, team: Register)] = []
        for var record in briefings {
            let register = Register(.string(team), at: ctx.stamp())
            record.fields[Briefing.Field.team] = register
            try RecordStore.save(ctx.db, record)
            given.append((record, register))
        }
        given.sort { $0.record.firstStamp < $1.record.firstStamp }
        var queue = given.map { Requeue(id: $0.record.id, team: $0.team) }
        let ids = given.map(\.record.id)
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let annotations = try String.fetchAll(
            ctx.db,
            sql: "SELECT state FROM records WHERE kind = 'annotation' AND on_server = 0 AND briefing IN (\(marks))",
            arguments: StatementArguments(ids)
        ).map { try WireJSON.decode(Record.self, from: $0) }
        queue += annotations.sorted { $0.firstStamp < $1.firstStamp }.map { Requeue(id: $0.id) }
        try requeueFirst(&ctx, queue)
    }
}
