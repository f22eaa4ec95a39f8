import BriefSyncModel
import Foundation
import GRDB

extension SQLiteSyncStore {
    public func push(_ mutations: [Mutation], user: ServerUser, now: Int64) async throws -> [Wire.MutationResult] {
        try await pool.write { db in
            let memberships = try Self.memberships(db, userID: user.id)
            var seq = try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'") ?? 0
            var results: [Wire.MutationResult] = []
            for m in mutations {
                if let earlier = try Row.fetchOne(
                    db, sql: "SELECT seq, status, reason, user_id FROM mutations WHERE id = ?", arguments: [m.id])
                {
                    // A replay: the same answer as the first time, and nothing changes.
                    let status = Wire.MutationResult.Status(rawValue: earlier["status"]) ?? .rejected
                    results.append(.init(id: m.id, status: status, seq: earlier["seq"], reason: earlier["reason"]))
                    continue
                }
                let current = try Self.stored(db, id: m.delta.id)
                var briefingTeam: String? = nil
                if m.delta.kind == .annotation {
                    let briefingID = m.delta[Annotation.Field.briefing]?.string ?? current?.record[Annotation.Field.briefing]?.string
                    if let briefingID {
                        briefingTeam = try String.fetchOne(
                            db, sql: "SELECT team FROM records WHERE id = ? AND kind = 'briefing'", arguments: [briefingID])
                    }
                }
                let decision = MutationPolicy.decide(
                    m, current: current, briefingTeam: briefingTeam, userID: user.id, memberships: memberships, now: now)
                let body = try WireJSON.string(m)
                switch decision {
                case .reject(let reason):
                    try db.execute(
                        sql: """
                            INSERT INTO mutations(id, replica, user_id, record_id, seq, status, reason, body, received)
                            VALUES (?, ?, ?, ?, 0, 'rejected', ?, ?, ?)
                            """, arguments: [m.id, m.replica, user.id, m.delta.id, reason, body, now])
                    let visible = current.flatMap { c in
                        Authorization.denial(role: memberships.first { $0.team == c.team }?.role, action: .read, team: c.team) == nil
                            ? c.record : nil
                    }
                    results.append(.init(id: m.id, status: .rejected, seq: 0, reason: reason, current: visible))
                case .accept(let team, let owner):
                    seq += 1
                    let merged = current.map { Record.merge($0.record, m.delta) } ?? m.delta
                    try db.execute(
                        sql: """
                            INSERT INTO records(id, kind, team, owner, seq, state) VALUES (?, ?, ?, ?, ?, ?)
                            ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, state = excluded.state
                            """, arguments: [merged.id, merged.kind.rawValue, team, owner, seq, try WireJSON.string(merged)])
                    try db.execute(
                        sql: """
                            INSERT INTO mutations(id, replica, user_id, record_id, seq, status, reason, body, received)
                            VALUES (?, ?, ?, ?, ?, 'applied', NULL, ?, ?)
                            """, arguments: [m.id, m.replica, user.id, m.delta.id, seq, body, now])
                    results.append(.init(id: m.id, status: .applied, seq: seq))
                }
            }
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'seq'", arguments: [String(seq)])
            return results
        }
    }

    static func stored(_ db: Database, id: String) throws -> StoredRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT team, owner, seq, state FROM records WHERE id = ?", arguments: [id]) else {
            return nil
        }
        return StoredRecord(
            record: try WireJSON.decode(Record.self, from: row["state"] as String), team: row["team"], owner: row["owner"],
            seq: row["seq"])
    }

    public func pull(after seq: Int64, limit: Int, teams: [String], replica: String) async throws -> (
        records: [Wire.PulledRecord], more: Bool, acked: [String]
    ) {
        try await pool.read { db in
            guard !teams.isEmpty else {
                let acked = try String.fetchAll(
                    db, sql: "SELECT id FROM mutations WHERE replica = ? AND seq > ? ORDER BY seq", arguments: [replica, seq])
                return ([], false, acked)
            }
            let marks = Array(repeating: "?", count: teams.count).joined(separator: ",")
            var args: [any DatabaseValueConvertible] = [seq]
            args.append(contentsOf: teams)
            args.append(limit + 1)
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT seq, state FROM records WHERE seq > ? AND team IN (\(marks)) ORDER BY seq LIMIT ?",
                arguments: StatementArguments(args))
            let more = rows.count > limit
            let page = try rows.prefix(limit).map {
                Wire.PulledRecord(seq: $0["seq"], record: try WireJSON.decode(Record.self, from: $0["state"] as String))
            }
            // Up to where this page reaches: the last record's seq, or everything if it is the last page.
            let upTo = more ? (page.last?.seq ?? seq) : Int64.max
            let acked = try String.fetchAll(
                db, sql: "SELECT id FROM mutations WHERE replica = ? AND seq > ? AND seq <= ? ORDER BY seq",
                arguments: [replica, seq, upTo])
            return (page, more, acked)
        }
    }

    /// The highest sequence number assigned so far.
    func currentSeq() async throws -> Int64 {
        try await pool.read { try Int64.fetchOne($0, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'") ?? 0 }
    }

    public func history(recordID: String) async throws -> (team: String, entries: [HistoryEntry])? {
        try await pool.read { db in
            guard let team = try String.fetchOne(db, sql: "SELECT team FROM records WHERE id = ?", arguments: [recordID]) else {
                return nil
            }
            let entries = try Row.fetchAll(
                db,
                sql: """
                    SELECT m.seq, m.id, u.name, m.received, m.body FROM mutations m JOIN users u ON u.id = m.user_id
                    WHERE m.record_id = ? AND m.status = 'applied' ORDER BY m.seq
                    """, arguments: [recordID]
            ).map { row in
                let mutation = try WireJSON.decode(Mutation.self, from: row["body"] as String)
                return HistoryEntry(
                    seq: row["seq"], mutation: row["id"], user: row["name"], received: row["received"],
                    fields: mutation.delta.fields.keys.sorted())
            }
            return (team, entries)
        }
    }
}
