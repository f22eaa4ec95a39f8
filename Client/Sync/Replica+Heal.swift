import BriefSyncModel
import Foundation
import GRDB

/// Healing a restored server (`docs/sync-model.md`, "A restored server").
///
/// A server restored from a backup has a new epoch. Its history up to the backup's highest
/// sequence number (`upTo`) is the one this replica knew; everything after is gone from it, and
/// its new sequence numbers reuse the old ones. So the replica:
/// 1. ``startHeal(to:)``: keeps, for every record the old server had, the newest pulled version
///    it still shares with the new epoch *and* that its own state includes, as the merge base;
///    rebases queued changes onto those bases; forgets old-epoch positions (cursor, history after
///    `upTo`); marks every such record to check.
/// 2. pulls the new server from the start: for each record, what this replica holds that the
///    server's state (plus what is still queued) lacks is queued first as one change with the
///    kept base, so the server merges it three-way: a merge or a conflict record, never a silent
///    overwrite (``healPulled(_:_:)``).
/// 3. ``finishHeal(readable:)``: records the new server did not send at all are queued whole.
///
/// Only what the user may write is pushed back: briefings, their own annotations and conflict
/// resolutions. Others' annotations stay here until their authors' replicas heal them.
extension Replica {
    /// Forgets the positions of a server this replica no longer syncs with (logged in to an
    /// unrelated one): its versions in `history`, and the bases of records and queued changes,
    /// which would name versions in the other server's numbering.
    func forgetServerPositions() throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM history")
            try RecordStore.forgetVersions(db, above: 0)
            try db.execute(sql: "UPDATE records SET server_seq = 0")
            try Self.rebaseQueued(db, beyond: 0, to: [:])
        }
    }

    /// Queued changes whose base is beyond `upTo` (a version the server no longer knows) get the
    /// record's base in `bases`, or none (0).
    static func rebaseQueued(_ db: Database, beyond upTo: Int64, to bases: [String: Int64]) throws {
        for row in try Row.fetchAll(db, sql: "SELECT seq, body FROM outbox") {
            var m = try WireJSON.decode(Mutation.self, from: row["body"] as String)
            guard m.base > upTo else { continue }
            m.base = bases[m.delta.id] ?? 0
            try db.execute(
                sql: "UPDATE outbox SET body = ? WHERE seq = ?", arguments: [try WireJSON.string(m), row["seq"]])
        }
    }

    /// The epoch this replica's positions (cursor, bases, history) belong to.
    func epoch() throws -> String? {
        try database.read { db in
            try Replica.meta(db, "epoch") ?? Replica.meta(db, "cursor").flatMap(Wire.Cursor.init)?.epoch
        }
    }

    /// Whether a heal is under way (started, its pull not finished).
    func isHealing() throws -> Bool { try syncMeta("heal") != nil }

    /// Step 1; returns the number of records to check. Safe to call again (it restarts).
    /// - Parameter roles: the user's teams and roles on the restored server: nothing is queued
    ///   for a team where the role may not write it (a viewer's replica pushes nothing back).
    func startHeal(to lineage: Wire.Epoch, roles: [Wire.Membership]) throws -> Int {
        try database.write { db in
            try Replica.setMeta(db, "heal_roles", try WireJSON.string(roles))
            let old = try Replica.meta(db, "epoch") ?? Replica.meta(db, "cursor").flatMap(Wire.Cursor.init)?.epoch
            let upTo = old.map { lineage.sharedUpTo($0) } ?? 0
            try db.execute(sql: "DELETE FROM heal")
            let rows = try Row.fetchAll(db, sql: "SELECT id, state FROM records WHERE on_server = 1")
            var bases: [String: Int64] = [:]
            for row in rows {
                let id: String = row["id"]
                let local = try WireJSON.decode(Record.self, from: row["state"] as String)
                var base: Int64 = 0
                let versions = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT h.seq, \(RecordStore.versionState) AS state FROM \(RecordStore.versions)
                        WHERE h.record_id = ? AND h.seq <= ? ORDER BY h.seq DESC
                        """, arguments: [id, upTo])
                for v in versions {
                    // A version is a base only if this replica's state includes it (a version
                    // cached by `brief log` but never merged is not what it saw).
                    let state = try WireJSON.decode(Record.self, from: v["state"] as String)
                    if Record.merge(local, state) == local {
                        base = v["seq"]
                        break
                    }
                }
                bases[id] = base
                try db.execute(sql: "INSERT INTO heal(record_id, base) VALUES (?, ?)", arguments: [id, base])
                try db.execute(sql: "UPDATE records SET server_seq = ? WHERE id = ?", arguments: [base, id])
            }
            try Self.rebaseQueued(db, beyond: upTo, to: bases)
            try db.execute(sql: "DELETE FROM history WHERE seq > ?", arguments: [upTo])
            try RecordStore.forgetVersions(db, above: upTo)
            try Replica.setMeta(db, "epoch", lineage.epoch)
            try Replica.setMeta(db, "cursor", nil)
            try Replica.setMeta(db, "teams", nil)
            try Replica.setMeta(db, "heal", String(upTo))
            return rows.count
        }
    }

    /// Step 2, for one pulled record inside ``applyPull(_:ours:)``'s transaction: returns the
    /// state to keep locally. Queues what the server lacks, first, when the user may write it.
    static func healPulled(_ ctx: inout ChangeContext, _ server: Record) throws -> Record {
        let db = ctx.db
        let withQueued = try withPending(db, server)
        guard
            let base = try Int64.fetchOne(db, sql: "SELECT base FROM heal WHERE record_id = ?", arguments: [server.id]),
            let local = try RecordStore.load(db, id: server.id)
        else { return withQueued }
        try db.execute(sql: "DELETE FROM heal WHERE record_id = ?", arguments: [server.id])
        let seen = try RecordStore.versionState(db, id: server.id, seq: base).map {
            try WireJSON.decode(Record.self, from: $0)
        }
        // Every field this replica holds a different value of than the server, and that changed
        // since the base: the server merges it as it merges any change (three-way for text), so a
        // concurrent edit on the restored server is merged or becomes a conflict record. Comparing
        // by stamps alone would let a later edit there silently hide this one.
        var delta = Record(id: local.id, kind: local.kind)
        for (name, register) in local.fields
        where withQueued.fields[name] != register && (base == 0 || seen?.fields[name] != register) {
            delta.fields[name] = register
        }
        let joined = Record.merge(withQueued, local)
        if joined.tags != withQueued.tags { delta.tags = local.tags }
        if joined.deleted != withQueued.deleted { delta.deleted = local.deleted }
        guard !delta.isEmptyDelta else { return withQueued }
        guard let delta = writable(delta, author: ctx.author), try mayWrite(db, server) else { return joined }
        try queueFirst(&ctx, [Mutation(id: ctx.newID(), replica: ctx.replicaID, delta: delta, base: base)])
        return joined
    }

    /// What a heal may push of `delta`: briefings, the user's own annotations, a conflict's
    /// status and resolution. `nil` when nothing.
    static func writable(_ delta: Record, author: String) -> Record? {
        var d = delta
        switch d.kind {
        case .briefing: break
        case .annotation:
            // The server takes an annotation's fields only from its author.
            if let signed = d[Annotation.Field.author]?.string, signed != author { return nil }
        case .conflict:
            d.fields = d.fields.filter { [Conflict.Field.status, Conflict.Field.resolution].contains($0.key) }
            d.tags = TagSet()
            d.deleted = nil
        }
        return d.isEmptyDelta ? nil : d
    }

    /// Step 3, once the pull from the start has ended: records the new server did not send are
    /// queued whole (briefings before annotations), if the user may write them and can still
    /// read their team. Returns how many were queued and how many stay only here.
    func finishHeal(readable teams: Set<String>) throws -> (queued: Int, keptHere: Int) {
        try change { ctx in
            let ids = try String.fetchAll(ctx.db, sql: "SELECT record_id FROM heal")
            var queue: [Record] = []
            var kept = 0
            for id in ids {
                guard let local = try RecordStore.load(ctx.db, id: id) else { continue }
                // A conflict the server lost goes back whole: it may hold the only copy of the
                // losing text.
                let delta = local.kind == .conflict ? local : Self.writable(local, author: ctx.author)
                guard let team = try Self.team(ctx.db, of: local), teams.contains(team), let delta,
                    try Self.mayWrite(ctx.db, local)
                else {
                    kept += 1
                    continue
                }
                queue.append(delta)
            }
            func rank(_ r: Record) -> Int { r.kind == .briefing ? 0 : r.kind == .annotation ? 1 : 2 }
            queue.sort { (rank($0), $0.firstStamp) < (rank($1), $1.firstStamp) }
            try Self.queueFirst(&ctx, queue.map { Mutation(id: ctx.newID(), replica: ctx.replicaID, delta: $0) })
            try ctx.db.execute(sql: "DELETE FROM heal")
            try Replica.setMeta(ctx.db, "heal", nil)
            try Replica.setMeta(ctx.db, "heal_roles", nil)
            return (queue.count, kept)
        }
    }

    /// The team of a record: a briefing's own, an annotation's or conflict's briefing's.
    static func team(_ db: Database, of record: Record) throws -> String? {
        if record.kind == .briefing { return record[Briefing.Field.team]?.string }
        // Annotations and conflicts both name their briefing in `briefing`.
        return try record[Annotation.Field.briefing]?.string.flatMap {
            try RecordStore.load(db, id: $0)?[Briefing.Field.team]?.string
        }
    }

    /// Whether the user's role (as the restored server told it) lets them write to `record`
    /// (whole, so that its team is known).
    static func mayWrite(_ db: Database, _ record: Record) throws -> Bool {
        guard let text = try Replica.meta(db, "heal_roles") else { return true }
        let roles = try WireJSON.decode([Wire.Membership].self, from: text)
        guard let team = try team(db, of: record), let role = roles.first(where: { $0.team == team })?.role else {
            return false
        }
        return role >= (record.kind == .briefing ? .editor : .commenter)
    }

    /// Puts mutations before everything queued, in the given order.
    static func queueFirst(_ ctx: inout ChangeContext, _ mutations: [Mutation]) throws {
        guard !mutations.isEmpty else { return }
        let front = try Int64.fetchOne(ctx.db, sql: "SELECT min(seq) FROM outbox") ?? 1
        for (i, m) in mutations.enumerated() {
            do {
                try ctx.enqueue(m, seq: front - Int64(mutations.count - i))
            } catch let error as ClientError where error.code == .tooLarge {
                // A whole record over the size limit: kept here, listed with its reason.
                try setAside(ctx.db, m, reason: error.message, at: ctx.wall)
            }
        }
    }
}
