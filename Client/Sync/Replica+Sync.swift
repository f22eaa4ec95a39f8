import BriefSyncModel
import Foundation
import GRDB

extension Replica {
    /// Records a push's answer in one transaction: applied mutations leave the outbox; rejected
    /// ones move to the `rejected` table (kept, never lost) and the record is rebuilt from the
    /// server's state plus what is still pending for it.
    func recordPushResults(_ results: [Wire.MutationResult], sent: [Mutation]) throws -> (
        applied: Int, rejected: [String]
    ) {
        let byID = Dictionary(sent.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return try pool.write { db in
            var applied = 0
            var rejected: [String] = []
            for result in results {
                guard let mutation = byID[result.id] else { continue }
                try db.execute(sql: "DELETE FROM outbox WHERE mutation_id = ?", arguments: [result.id])
                switch result.status {
                case .applied:
                    applied += 1
                case .rejected:
                    let reason = result.reason ?? "rejected"
                    rejected.append("\(mutation.delta.kind.rawValue) \(Identifier.short(mutation.delta.id)): \(reason)")
                    try db.execute(
                        sql:
                            "INSERT OR REPLACE INTO rejected(mutation_id, record_id, reason, body, at) VALUES (?, ?, ?, ?, ?)",
                        arguments: [mutation.id, mutation.delta.id, reason, try WireJSON.string(mutation), now()])
                    try rebuild(db, id: mutation.delta.id, server: result.current)
                }
            }
            return (applied, rejected)
        }
    }

    /// Local state := the server's state merged with the deltas still in the outbox.
    private func rebuild(_ db: Database, id: String, server: Record?) throws {
        let pending = try String.fetchAll(
            db, sql: "SELECT body FROM outbox WHERE record_id = ? ORDER BY seq", arguments: [id]
        )
        .map { try WireJSON.decode(Mutation.self, from: $0).delta }
        var state = server
        for delta in pending { state = state.map { Record.merge($0, delta) } ?? delta }
        guard let state else { return }  // Never on the server and nothing pending: keep the local copy.
        try RecordStore.save(db, state)
    }

    /// Applies one pulled page and its cursor in one transaction; returns how many records this
    /// replica had changed (`ours`, or still pending) that came back with others' changes merged in.
    func applyPull(_ page: Wire.PullResponse, ours: Set<String>) throws -> Int {
        try change { ctx in
            var merged = 0
            for pulled in page.records {
                let local = try RecordStore.load(ctx.db, id: pulled.record.id)
                let result = local.map { Record.merge($0, pulled.record) } ?? pulled.record
                let pending =
                    try Int.fetchOne(
                        ctx.db, sql: "SELECT count(*) FROM outbox WHERE record_id = ?", arguments: [pulled.record.id])
                    ?? 0
                if let local, local != result, ours.contains(pulled.record.id) || pending > 0 { merged += 1 }
                try RecordStore.save(ctx.db, result, serverSeq: pulled.seq)
                try Self.storePulled(ctx.db, pulled)
                ctx.observe(pulled.record.latestStamp)
            }
            for id in page.acked {
                try ctx.db.execute(sql: "DELETE FROM outbox WHERE mutation_id = ?", arguments: [id])
            }
            try Replica.setMeta(ctx.db, "cursor", page.cursor)
            try Replica.setMeta(ctx.db, "teams", page.teams.joined(separator: ","))
            return merged
        }
    }

    func setSyncMeta(_ values: [String: String?]) throws {
        try pool.write { db in
            for (k, v) in values { try Replica.setMeta(db, k, v) }
        }
    }

    func syncMeta(_ key: String) throws -> String? {
        try pool.read { try Replica.meta($0, key) }
    }

    /// Gives every local briefing without a team the team `team` (as a normal, synced change).
    func adoptTeamlessBriefings(_ team: String) throws -> Int {
        try change { ctx in
            let states = try String.fetchAll(ctx.db, sql: "SELECT state FROM records WHERE kind = 'briefing'")
            var n = 0
            for state in states {
                let record = try WireJSON.decode(Record.self, from: state)
                guard record[Briefing.Field.team] == nil else { continue }
                var delta = Record(id: record.id, kind: .briefing)
                delta.set(Briefing.Field.team, .string(team), at: ctx.stamp())
                try ctx.apply(delta)
                n += 1
            }
            return n
        }
    }
}
