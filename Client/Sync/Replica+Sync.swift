import BriefSyncModel
import Foundation
import GRDB

extension Replica {
    /// Records a push's answer in one transaction: applied mutations leave the outbox; rejected
    /// ones move to the `rejected` table (kept, never lost, listed by `brief rejected`).
    ///
    /// A refused change to a record the server has goes back to the server's state plus what is
    /// still pending; a record the server never had (or will not show) keeps its local content.
    ///
    /// An applied change whose answer says the server's result is exactly the version this
    /// replica holds plus the change (``Wire/MutationResult/after``) is recorded as that version
    /// here and now; `held` lists those versions, for the pull to leave out.
    func recordPushResults(_ results: [Wire.MutationResult], sent: [Mutation]) throws -> (
        applied: Int, rejected: [SyncSummary.Refusal], held: [Int64]
    ) {
        let byID = Dictionary(sent.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return try database.write { db in
            var applied = 0
            var rejected: [SyncSummary.Refusal] = []
            var held: [Int64] = []
            for result in results {
                guard let mutation = byID[result.id] else { continue }
                try db.execute(sql: "DELETE FROM outbox WHERE mutation_id = ?", arguments: [result.id])
                switch result.status {
                case .applied:
                    applied += 1
                    if let after = result.after, result.seq > after,
                        let state = try Self.state(db, of: mutation.delta, after: after)
                    {
                        try Self.storePulled(db, Wire.PulledRecord(seq: result.seq, record: state))
                        try db.execute(
                            sql: "UPDATE records SET on_server = 1, server_seq = max(server_seq, ?) WHERE id = ?",
                            arguments: [result.seq, mutation.delta.id])
                        held.append(result.seq)
                    } else {
                        try db.execute(
                            sql: "UPDATE records SET on_server = 1 WHERE id = ?", arguments: [mutation.delta.id])
                    }
                case .rejected:
                    let reason = result.reason ?? "rejected"
                    rejected.append(SyncSummary.Refusal(mutation, reason: reason))
                    try Self.setAside(db, mutation, reason: reason, at: now())
                    if let current = result.current {
                        try rebuild(db, id: mutation.delta.id, server: current)
                    } else if let seen = try Self.lastPulled(db, id: mutation.delta.id) {
                        // The server has the record but will not show it (no longer a member):
                        // back to the last state pulled from it.
                        try rebuild(db, id: mutation.delta.id, server: seen)
                    }
                }
            }
            return (applied, rejected, held)
        }
    }

    /// The server's state of a record once `delta` is merged into its version `after` (0: none),
    /// if this replica holds that version; `nil` if it does not (the pull brings the result).
    static func state(_ db: Database, of delta: Record, after: Int64) throws -> Record? {
        guard after > 0 else { return delta }
        let before = try RecordStore.versionState(db, id: delta.id, seq: after)
        return try before.map { Record.merge(try WireJSON.decode(Record.self, from: $0), delta) }
    }

    /// Moves a mutation from the outbox to the `rejected` table.
    static func setAside(_ db: Database, _ mutation: Mutation, reason: String, at: Int64) throws {
        try db.execute(sql: "DELETE FROM outbox WHERE mutation_id = ?", arguments: [mutation.id])
        try db.execute(
            sql: "INSERT OR REPLACE INTO rejected(mutation_id, record_id, reason, body, at) VALUES (?, ?, ?, ?, ?)",
            arguments: [mutation.id, mutation.delta.id, reason, try WireJSON.string(mutation), at])
    }

    /// Local state := the server's state merged with the deltas still in the outbox.
    private func rebuild(_ db: Database, id: String, server: Record) throws {
        try RecordStore.save(db, try Self.withPending(db, server))
        try db.execute(sql: "UPDATE records SET on_server = 1 WHERE id = ?", arguments: [id])
    }

    /// `server` merged with this replica's changes to the record still in the outbox.
    static func withPending(_ db: Database, _ server: Record) throws -> Record {
        let pending = try String.fetchAll(
            try db.cachedStatement(sql: "SELECT body FROM outbox WHERE record_id = ? ORDER BY seq"),
            arguments: [server.id])
        var state = server
        for body in pending { state = Record.merge(state, try WireJSON.decode(Mutation.self, from: body).delta) }
        return state
    }

    /// The latest state of a record pulled from the server, if any.
    static func lastPulled(_ db: Database, id: String) throws -> Record? {
        try RecordStore.latestVersionState(db, id: id).map { try WireJSON.decode(Record.self, from: $0) }
    }

    /// What applying one pulled page changed.
    package struct PullEffect {
        /// Pulled records that changed this replica: new ones and others' changes (a change of
        /// ours coming back as we already have it is not counted).
        var received = 0
        /// Records this replica had changed (or still has pending) that came back with others'
        /// changes merged in.
        var merged = 0
        /// Open conflicts this replica had not seen before, one line each.
        var conflicts: [String] = []
    }

    /// Applies one pulled page and its cursor in one transaction. While `healing` (a restored
    /// server), what the server lacks is queued again first (``healPulled(_:_:)``). `meta` is
    /// written in the same transaction (a sync's last page records the sync's end with it, and
    /// saves a commit of its own). `rows`: each record's ``RecordRows`` (its JSON as received
    /// among them), derived beforehand; used where the record is kept as pulled. `following`:
    /// the page holds every record after that cursor (a poke's, ``Wire/Events/Poke``); it is
    /// applied only if, inside the same transaction, this replica is not healing and its cursor
    /// is at or after it and before the page's, of the same epoch and teams — else
    /// ``NotFollowing`` and nothing changes.
    package func applyPull(
        _ page: Wire.PullResponse, rows: [RecordRows]? = nil, ours: Set<String>, healing: Bool = false,
        meta: [String: String?] = [:], following: Wire.Cursor? = nil
    ) throws -> PullEffect {
        let rows = rows.flatMap { $0.count == page.records.count ? $0 : nil }
        if let following {
            return try change { ctx in
                guard try Replica.meta(ctx.db, "heal") == nil, let text = try Replica.meta(ctx.db, "cursor"),
                    let mine = Wire.Cursor(text), let to = Wire.Cursor(page.cursor), mine.epoch == following.epoch,
                    to.epoch == following.epoch, try Replica.meta(ctx.db, "epoch") == following.epoch,
                    try Replica.meta(ctx.db, "teams") == page.teams.joined(separator: ","),
                    following.seq <= mine.seq
                else { throw NotFollowing(held: false) }
                guard mine.seq < to.seq else { throw NotFollowing(held: true) }
                return try applyPulled(&ctx, page, rows: rows, ours: ours, healing: healing, meta: meta)
            }
        }
        // Nothing new (a sync with nothing to do): no write transaction but `meta`'s.
        if page.records.isEmpty, page.acked.isEmpty,
            try read({ db in
                try Replica.meta(db, "cursor") == page.cursor
                    && Replica.meta(db, "teams") == page.teams.joined(separator: ",")
                    && (Wire.Cursor(page.cursor).map { try Replica.meta(db, "epoch") == $0.epoch } ?? true)
            })
        {
            if !meta.isEmpty { try setSyncMeta(meta) }
            return PullEffect()
        }
        return try change { ctx in
            try applyPulled(&ctx, page, rows: rows, ours: ours, healing: healing, meta: meta)
        }
    }

    /// A page applied by ``applyPull(_:rows:ours:healing:meta:following:)``, inside its transaction.
    private func applyPulled(
        _ ctx: inout ChangeContext, _ page: Wire.PullResponse, rows: [RecordRows]?, ours: Set<String>, healing: Bool,
        meta: [String: String?]
    ) throws -> PullEffect {
        var effect = PullEffect()
        // With nothing queued (a clone, a reader), no record has pending changes to merge back.
        let queued = try Bool.fetchOne(ctx.db, sql: "SELECT EXISTS (SELECT 1 FROM outbox)") ?? true
        // Which of the page's records this replica has, and which have versions kept, in two
        // queries (a clone has none; a lookup each was a twentieth of its apply): for the
        // others there is no previous version to compare a pulled one with. A record erased
        // here keeps its history. (Not `FROM versions`: SQLite does not take an `IN` list
        // into the view's two halves, and read every version.)
        let ids = try WireJSON.string(page.records.map(\.record.id))
        var present = Set<String>(minimumCapacity: page.records.count)
        var versioned = Set<String>(minimumCapacity: page.records.count)
        for row in try Row.fetchAll(
            ctx.db,
            sql: "SELECT id, version_seq IS NOT NULL FROM records WHERE id IN (SELECT value FROM json_each(?))",
            arguments: [ids])
        {
            present.insert(row[0])
            if row[1] { versioned.insert(row[0]) }
        }
        versioned.formUnion(
            try String.fetchAll(
                ctx.db,
                sql: "SELECT DISTINCT record_id FROM history WHERE record_id IN (SELECT value FROM json_each(?))",
                arguments: [ids]))
        // A pull from the start with more pages to come (a clone) indexes its texts once,
        // with its last page (`DeferredIndexes`).
        if page.more, try Replica.meta(ctx.db, "cursor") == nil { try DeferredIndexes.deferIndexing(ctx.db) }
        let statements = try RecordStore.Statements(ctx.db)
        for (i, pulled) in page.records.enumerated() {
            let local =
                present.contains(pulled.record.id) ? try RecordStore.load(ctx.db, id: pulled.record.id) : nil
            present.insert(pulled.record.id)
            // The server's state holds every change of ours it accepted; what it does not
            // hold is either still queued (merged back in) or was refused (kept in
            // `rejected`, and no longer shown).
            let result =
                healing
                ? try Self.healPulled(&ctx, pulled.record)
                : queued ? try Self.withPending(ctx.db, pulled.record) : pulled.record
            let pending = result != pulled.record
            if local != result { effect.received += 1 }
            if let local, local != result, ours.contains(pulled.record.id) || pending { effect.merged += 1 }
            if local == nil, let c = Conflict(record: result), c.status == .open {
                effect.conflicts.append(try Self.describe(ctx.db, c))
            }
            // The version is kept in the record's row when nothing pending changed it (a
            // clone: always), so its state is written once and no `history` row is added.
            let hasHistory = versioned.contains(pulled.record.id)
            try RecordStore.save(
                ctx.db, result, rows: pending ? nil : rows?[i], serverSeq: pulled.seq, isNew: local == nil,
                onServer: true,
                version: pending
                    ? nil : try Self.pulledVersion(ctx.db, pulled, hasHistory: hasHistory, rows: rows?[i]),
                statements: statements)
            if pending { try Self.storePulled(ctx.db, pulled, rows: rows?[i]) }
            versioned.insert(pulled.record.id)
            ctx.observe(rows?[i].latest ?? pulled.record.latestStamp)
        }
        if !page.more { try DeferredIndexes.finish(ctx.db) }
        for id in page.acked {
            try ctx.db.execute(sql: "DELETE FROM outbox WHERE mutation_id = ?", arguments: [id])
        }
        try Replica.setMeta(ctx.db, "cursor", page.cursor)
        if let epoch = Wire.Cursor(page.cursor)?.epoch { try Replica.setMeta(ctx.db, "epoch", epoch) }
        try Replica.setMeta(ctx.db, "teams", page.teams.joined(separator: ","))
        for (key, value) in meta { try Replica.setMeta(ctx.db, key, value) }
        return effect
    }

    /// A poke's page not applied: it does not follow on from this replica's cursor (it pulls
    /// instead), or, `held`, this replica's cursor is already at or past the page's end.
    package struct NotFollowing: Error {
        let held: Bool
    }

    /// "conflict 1a2b3c4d on briefing 9f8e7d6c 'Key Topics': alice vs bob".
    private static func describe(_ db: Database, _ c: Conflict) throws -> String {
        var label = c.field
        if let target = try RecordStore.load(db, id: c.record), let b = Briefing(record: target),
            let key = Briefing.Field.sectionKey(ofText: c.field)
        {
            label = b.sections.first { $0.key == key }.map { $0.heading.isEmpty ? key : $0.heading } ?? key
        }
        return
            "conflict \(Identifier.short(c.id)) on \(Identifier.short(c.record)) '\(label)': \(c.winner.author) vs \(c.loser.author); see 'brief conflicts'"
    }

    func setSyncMeta(_ values: [String: String?]) throws {
        try database.write { db in
            for (k, v) in values { try Replica.setMeta(db, k, v) }
        }
    }

    func syncMeta(_ key: String) throws -> String? {
        try database.read { try Replica.meta($0, key) }
    }

    /// Gives the team `team` to every briefing the server never had whose team is missing or is
    /// not one of `memberOf` (work done before the first login, or before a change of team).
    ///
    /// Nobody has seen those records, so their changes are rewritten instead of adding a
    /// team-only change after them: the first change of each carries the team, and all of them
    /// (refused ones included) are queued first, followed by the changes of their annotations
    /// the server never had (see ``Outbox/requeueFirst(_:_:)``). Returns the number of briefings.
    func adoptTeam(_ team: String, memberOf: Set<String>) throws -> Int {
        try change { ctx in
            let rows = try Row.fetchAll(
                ctx.db, sql: "SELECT id, state FROM records WHERE kind = 'briefing' AND on_server = 0 ORDER BY id")
            var adopted: [Record] = []
            for row in rows {
                let record = try WireJSON.decode(Record.self, from: row["state"] as String)
                let current = record[Briefing.Field.team]?.string
                if let current, !current.isEmpty, memberOf.contains(current) { continue }
                adopted.append(record)
            }
            try Outbox.giveTeam(&ctx, adopted, team: team)
            return adopted.count
        }
    }
}

extension Record {
    /// The earliest stamp in the record: when it was made, for ordering.
    var firstStamp: Stamp {
        var best: Stamp? = nil
        for register in fields.values where best == nil || register.stamp < best! { best = register.stamp }
        return best ?? .zero
    }
}

extension Replica {
    /// The next batch to push, in outbox order: at most `limit` mutations and `maxBytes` of JSON
    /// (always at least one). A queued mutation over the per-mutation limit (queued by an older
    /// version, which did not check) is moved to `rejected` with the reason, so it never blocks
    /// the changes behind it; the second value lists those, one line each.
    func nextBatch(limit: Int, maxBytes: Int) throws -> (batch: [Mutation], setAside: [SyncSummary.Refusal]) {
        // A read (an empty outbox, most batches); the write lock only to set one aside.
        let bodies = try database.read { try Self.queued($0, limit: limit) }
        if !bodies.contains(where: { $0.utf8.count > Wire.Limits.maxMutationBytes }) {
            return (try Self.batch(bodies, limit: limit, maxBytes: maxBytes), [])
        }
        return try database.write { db in
            var kept: [String] = []
            var aside: [SyncSummary.Refusal] = []
            for body in try Self.queued(db, limit: limit) {
                let size = body.utf8.count
                guard size > Wire.Limits.maxMutationBytes else {
                    kept.append(body)
                    continue
                }
                let mutation = try WireJSON.decode(Mutation.self, from: body)
                let reason =
                    "too large to sync (\(ByteCount(size)); one change may be at most \(ByteCount(Wire.Limits.maxMutationBytes))): split the briefing or shorten the text, then 'brief rejected retry'"
                try Self.setAside(db, mutation, reason: reason, at: now())
                aside.append(SyncSummary.Refusal(mutation, reason: reason))
            }
            return (try Self.batch(kept, limit: limit, maxBytes: maxBytes), aside)
        }
    }

    /// The first queued mutations' JSON, in outbox order (a few more than a batch, for those set aside).
    private static func queued(_ db: Database, limit: Int) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT body FROM outbox ORDER BY seq LIMIT ?", arguments: [limit + 64])
    }

    /// The first of `bodies` that fit in `limit` mutations and `maxBytes` (always at least one).
    private static func batch(_ bodies: [String], limit: Int, maxBytes: Int) throws -> [Mutation] {
        var batch: [Mutation] = []
        var bytes = 0
        for body in bodies {
            let size = body.utf8.count
            if batch.count == limit || (!batch.isEmpty && bytes + size > maxBytes) { break }
            batch.append(try WireJSON.decode(Mutation.self, from: body))
            bytes += size + 1
        }
        return batch
    }

    /// Moves one queued mutation to `rejected` with `reason`; returns the summary line.
    func setAside(_ mutation: Mutation, reason: String) throws -> SyncSummary.Refusal {
        try database.write { db in try Self.setAside(db, mutation, reason: reason, at: now()) }
        return SyncSummary.Refusal(mutation, reason: reason)
    }
}
