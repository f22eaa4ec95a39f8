import BriefSyncModel
import Foundation
import GRDB

/// A change the server refused (or that was set aside as too large), as `brief rejected` lists it.
public struct RejectedChange: Sendable, Hashable, Codable {
    /// The refused mutation's id: `brief rejected retry|drop` take it (or a unique prefix).
    public var id: String
    public var record: String
    public var kind: String
    /// The briefing the record belongs to, and its title, when the replica has them.
    public var briefing: String?
    public var title: String?
    public var reason: String
    /// When it was refused (ISO 8601, UTC).
    public var at: String
    /// What the change wrote: field name → value (text as is, other values as JSON).
    public var fields: [String: String]
    public var tagsAdded: [String]
    public var deleted: Bool
    /// Whether the server has the record (a refused change to it was undone on screen).
    public var onServer: Bool
}

extension Replica {
    /// Every refused change, oldest first.
    public func rejectedChanges() throws -> [RejectedChange] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT mutation_id, record_id, reason, body, at FROM rejected ORDER BY at, rowid"
            )
            .map { row in try Self.rejectedChange(db, row) }
        }
    }

    private static func rejectedChange(_ db: Database, _ row: Row) throws -> RejectedChange {
        let mutation = try WireJSON.decode(Mutation.self, from: row["body"] as String)
        let delta = mutation.delta
        let local = try RecordStore.load(db, id: delta.id)
        var briefing: String? = nil
        var title: String? = nil
        switch delta.kind {
        case .briefing: briefing = delta.id
        case .annotation:
            briefing = (delta[Annotation.Field.briefing] ?? local?[Annotation.Field.briefing])?.string
        case .conflict: briefing = (local?[Conflict.Field.briefing])?.string
        }
        if let briefing, let b = try RecordStore.load(db, id: briefing).flatMap(Briefing.init(record:)) {
            title = b.title
        } else if delta.kind == .briefing {
            title = delta[Briefing.Field.title]?.string
        }
        var fields: [String: String] = [:]
        for (name, register) in delta.fields {
            fields[name] = register.value.string ?? (try? WireJSON.string(register.value)) ?? ""
        }
        let onServer = try Bool.fetchOne(db, sql: "SELECT on_server FROM records WHERE id = ?", arguments: [delta.id])
        return RejectedChange(
            id: row["mutation_id"], record: delta.id, kind: delta.kind.rawValue, briefing: briefing, title: title,
            reason: row["reason"], at: iso8601(row["at"]), fields: fields,
            tagsAdded: delta.tags.added.keys.filter { delta.tags.contains($0) }.sorted(),
            deleted: delta.deleted != nil, onServer: onServer ?? false)
    }

    /// Re-queues refused changes (one by id prefix, or all with `nil`); returns how many.
    ///
    /// A change to a record the server has is applied again as a new change (fresh stamps, the
    /// same merge base, so concurrent edits since then still merge or make a conflict record).
    /// A record the server never had is queued whole, first, with the replica's team if it has
    /// none. Nothing is sent until `brief sync`.
    @discardableResult
    public func retryRejected(_ id: String?) throws -> Int {
        try change { ctx in
            let rows = try Self.pickRejected(ctx.db, id)
            let team = try Replica.meta(ctx.db, "team")
            var whole: [(record: Record, team: Register?)] = []
            var wholeIDs = Set<String>()
            for row in rows {
                let mutation = try WireJSON.decode(Mutation.self, from: row["body"] as String)
                let recordID = mutation.delta.id
                let onServer =
                    try Bool.fetchOne(ctx.db, sql: "SELECT on_server FROM records WHERE id = ?", arguments: [recordID])
                    ?? false
                if onServer {
                    try ctx.db.execute(
                        sql: "DELETE FROM rejected WHERE mutation_id = ?", arguments: [row["mutation_id"] as String])
                    let delta = Self.restamped(mutation.delta, at: ctx.stamp())
                    let current = try RecordStore.load(ctx.db, id: recordID)
                    try RecordStore.save(ctx.db, current.map { Record.merge($0, delta) } ?? delta)
                    try ctx.enqueue(
                        Mutation(id: ctx.newID(), replica: ctx.replicaID, delta: delta, base: mutation.base))
                } else if !wholeIDs.contains(recordID) {
                    // Never on the server: all its changes go again, first, with a team if it lacks one.
                    wholeIDs.insert(recordID)
                    var record = try RecordStore.load(ctx.db, id: recordID) ?? mutation.delta
                    var register: Register? = nil
                    if record.kind == .briefing, record[Briefing.Field.team]?.string == nil, let team {
                        register = Register(.string(team), at: ctx.stamp())
                        record.fields[Briefing.Field.team] = register
                        try RecordStore.save(ctx.db, record)
                    }
                    whole.append((record, register))
                }
            }
            // Briefings before annotations, each in the order it was made.
            whole.sort {
                ($0.record.kind == .briefing ? 0 : 1, $0.record.firstStamp)
                    < ($1.record.kind == .briefing ? 0 : 1, $1.record.firstStamp)
            }
            try Outbox.requeueFirst(&ctx, whole.map { Outbox.Requeue(id: $0.record.id, team: $0.team) })
            return rows.count
        }
    }

    /// Discards refused changes (one by id prefix, or all with `nil`); returns how many. A record
    /// that exists only on this replica and has nothing else queued or refused goes too.
    @discardableResult
    public func dropRejected(_ id: String?) throws -> Int {
        try database.write { db in
            let rows = try Self.pickRejected(db, id)
            for row in rows {
                let recordID: String = row["record_id"]
                try db.execute(
                    sql: "DELETE FROM rejected WHERE mutation_id = ?", arguments: [row["mutation_id"] as String])
                let onServer =
                    try Bool.fetchOne(db, sql: "SELECT on_server FROM records WHERE id = ?", arguments: [recordID])
                    ?? true
                let others =
                    try Int.fetchOne(
                        db,
                        sql:
                            "SELECT (SELECT count(*) FROM outbox WHERE record_id = ?) + (SELECT count(*) FROM rejected WHERE record_id = ?)",
                        arguments: [recordID, recordID]) ?? 0
                if !onServer && others == 0 { try RecordStore.erase(db, id: recordID) }
            }
            return rows.count
        }
    }

    private static func pickRejected(_ db: Database, _ id: String?) throws -> [Row] {
        guard let id else {
            return try Row.fetchAll(db, sql: "SELECT mutation_id, record_id, body FROM rejected ORDER BY at, rowid")
        }
        let p = id.lowercased()
        guard p.count >= 4 else {
            throw ClientError(.invalidArgument, "id '\(id)' is too short; give at least 4 characters of it")
        }
        let rows = try Row.fetchAll(
            db,
            sql:
                "SELECT mutation_id, record_id, body FROM rejected WHERE mutation_id >= ? AND mutation_id < ? ORDER BY mutation_id LIMIT 2",
            arguments: [p, p + "~"])
        guard !rows.isEmpty else {
            throw ClientError(.notFound, "no refused change with id '\(id)'; see 'brief rejected'")
        }
        guard rows.count == 1 else {
            throw ClientError(.ambiguousID, "id '\(id)' matches several refused changes; give more characters")
        }
        return rows
    }

    /// The same change with new stamps: a retry is a new decision of its author.
    static func restamped(_ delta: Record, at stamp: Stamp) -> Record {
        var out = Record(id: delta.id, kind: delta.kind)
        for (name, register) in delta.fields { out.set(name, register.value, at: stamp) }
        for (tag, dots) in delta.tags.added {
            if delta.tags.contains(tag) {
                out.tags.add(tag, at: stamp)
            } else {
                // A removal carries the additions it observed; removing them again is the same removal.
                var observed = TagSet()
                for dot in dots { observed.add(tag, at: dot) }
                out.tags.remove(tag, observed: observed)
            }
        }
        if delta.deleted != nil { out.deleted = stamp }
        return out
    }
}
