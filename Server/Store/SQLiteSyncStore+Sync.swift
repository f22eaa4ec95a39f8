import BriefSyncModel
import Crypto
import Foundation
import GRDB

extension SQLiteSyncStore {
    public func push(_ mutations: [Mutation], user: ServerUser, now: Int64) async throws -> [Wire.MutationResult] {
        do {
            return try await pushTransaction(mutations, user: user, now: now)
        } catch let error as DatabaseError {
            throw Self.storeError(error, file: "briefd.sqlite")
        }
    }

    private func pushTransaction(_ mutations: [Mutation], user: ServerUser, now: Int64) async throws
        -> [Wire.MutationResult]
    {
        try await pool.write { db in
            let memberships = try Self.memberships(db, userID: user.id)
            var seq = try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'") ?? 0
            var clock = HybridLogicalClock(
                replica: "server",
                last: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'clock'").flatMap(Stamp.init))
            var results: [Wire.MutationResult] = []
            for m in mutations {
                if let earlier = try Row.fetchOne(
                    db, sql: "SELECT seq, status, reason FROM mutations WHERE id = ?", arguments: [m.id])
                {
                    // A replay: the same answer as the first time, and nothing changes. A refusal
                    // carries the record as it is now, as the first answer did, so a client whose
                    // first answer was lost can still undo the refused change on screen.
                    let status = Wire.MutationResult.Status(rawValue: earlier["status"]) ?? .rejected
                    let current =
                        status == .rejected
                        ? Self.visible(try Self.stored(db, id: m.delta.id), memberships: memberships) : nil
                    results.append(
                        .init(
                            id: m.id, status: status, seq: earlier["seq"], reason: earlier["reason"], current: current))
                    continue
                }
                let current = try Self.stored(db, id: m.delta.id)
                var parentTeam: String? = nil
                if m.delta.kind == .annotation {
                    let briefingID =
                        m.delta[Annotation.Field.briefing]?.string ?? current?.record[Annotation.Field.briefing]?.string
                    if let briefingID {
                        parentTeam = try String.fetchOne(
                            db, sql: "SELECT team FROM records WHERE id = ? AND kind = 'briefing'",
                            arguments: [briefingID])
                    }
                } else if m.delta.kind == .conflict, current == nil, let target = m.delta[Conflict.Field.record]?.string
                {
                    parentTeam = try String.fetchOne(
                        db, sql: "SELECT team FROM records WHERE id = ? AND kind != 'conflict'", arguments: [target])
                }
                let decision = MutationPolicy.decide(
                    m, current: current, parentTeam: parentTeam, user: user, memberships: memberships, now: now
                )
                let body = try WireJSON.string(m)
                switch decision {
                case .reject(let reason):
                    try db.execute(
                        sql: """
                            INSERT INTO mutations(id, replica, user_id, record_id, seq, status, reason, body, received)
                            VALUES (?, ?, ?, ?, 0, 'rejected', ?, ?, ?)
                            """, arguments: [m.id, m.replica, user.id, m.delta.id, reason, body, now])
                    results.append(
                        .init(
                            id: m.id, status: .rejected, seq: 0, reason: reason,
                            current: Self.visible(current, memberships: memberships)))
                case .accept(let team, let owner):
                    let seen = try Self.seenState(db, m)
                    let (merged, clashes) = Reconcile.apply(
                        m.delta, to: current?.record, seen: seen, clock: &clock, wall: now)
                    seq += 1
                    try Self.save(db, merged, team: team, owner: owner, seq: seq)
                    try db.execute(
                        sql: """
                            INSERT INTO mutations(id, replica, user_id, record_id, seq, status, reason, body, received)
                            VALUES (?, ?, ?, ?, ?, 'applied', NULL, ?, ?)
                            """, arguments: [m.id, m.replica, user.id, m.delta.id, seq, body, now])
                    try Self.addVersion(
                        db, merged, seq: seq, userID: user.id, mutation: m.id, now: now,
                        fields: Array(m.delta.fields.keys))
                    results.append(.init(id: m.id, status: .applied, seq: seq))
                    for clash in clashes {
                        seq += 1
                        let conflict = try Self.conflict(db, clash, record: merged, incoming: m, user: user)
                        let record = conflict.record(at: clock.tick(wall: now))
                        try Self.save(db, record, team: team, owner: user.id, seq: seq)
                        try Self.addVersion(
                            db, record, seq: seq, userID: user.id, mutation: m.id, now: now,
                            fields: Array(record.fields.keys))
                    }
                }
            }
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'seq'", arguments: [String(seq)])
            try db.execute(
                sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('clock', ?)", arguments: [clock.last.description])
            return results
        }
    }

    /// The stored record if the user may read it.
    static func visible(_ stored: StoredRecord?, memberships: [Wire.Membership]) -> Record? {
        stored.flatMap { c in
            Authorization.denial(role: Authorization.role(memberships, team: c.team), action: .read, team: c.team)
                == nil ? c.record : nil
        }
    }

    /// What the mutation's replica had seen of the record: the version at its base, plus the
    /// replica's own changes accepted since (it wrote them, so it knew them).
    static func seenState(_ db: Database, _ m: Mutation) throws -> Record? {
        var seen = try String.fetchOne(
            db, sql: "SELECT state FROM versions WHERE record_id = ? AND seq <= ? ORDER BY seq DESC LIMIT 1",
            arguments: [m.delta.id, m.base]
        ).map { try WireJSON.decode(Record.self, from: $0) }
        let own = try String.fetchAll(
            db,
            sql:
                "SELECT body FROM mutations WHERE record_id = ? AND replica = ? AND status = 'applied' AND seq > ? ORDER BY seq",
            arguments: [m.delta.id, m.replica, m.base])
        for body in own {
            let delta = try WireJSON.decode(Mutation.self, from: body).delta
            seen = seen.map { Record.merge($0, delta) } ?? delta
        }
        return seen
    }

    static func save(_ db: Database, _ record: Record, team: String, owner: Int64, seq: Int64) throws {
        try db.execute(
            sql: """
                INSERT INTO records(id, kind, team, owner, seq, state) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, state = excluded.state
                """, arguments: [record.id, record.kind.rawValue, team, owner, seq, try WireJSON.string(record)])
    }

    static func addVersion(
        _ db: Database, _ record: Record, seq: Int64, userID: Int64, mutation: String, now: Int64, fields: [String]
    ) throws {
        try db.execute(
            sql:
                "INSERT INTO versions(record_id, seq, user_id, mutation, received, fields, state) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                record.id, seq, userID, mutation, now, try WireJSON.string(fields.sorted()),
                try WireJSON.string(record),
            ])
    }

    /// The conflict record for a clash, naming who wrote each side.
    static func conflict(
        _ db: Database, _ clash: Reconcile.TextClash, record: Record, incoming: Mutation, user: ServerUser
    ) throws -> Conflict {
        func author(_ register: Register) throws -> String {
            if register.stamp.replica == "server" { return "merge" }
            if register.stamp.replica == incoming.replica { return user.name }
            return try String.fetchOne(
                db, sql: "SELECT u.name FROM mutations m JOIN users u ON u.id = m.user_id WHERE m.replica = ? LIMIT 1",
                arguments: [register.stamp.replica]) ?? "unknown"
        }
        func side(_ r: Register) throws -> Conflict.Side {
            Conflict.Side(text: r.value.string ?? "", author: try author(r), stamp: r.stamp)
        }
        let briefing = record.kind == .briefing ? record.id : (record[Annotation.Field.briefing]?.string ?? "")
        // Derived from the mutation and field, so a conflict's id is the same wherever it is recomputed.
        let digest = Array(SHA256.hash(data: Data("\(incoming.id)/\(clash.field)".utf8)))
        var bytes = SeededBytes(digest)
        return Conflict(
            id: Identifier.uuid(using: &bytes), record: record.id, briefing: briefing, field: clash.field,
            base: clash.base,
            winner: try side(clash.winner), loser: try side(clash.loser))
    }

    static func stored(_ db: Database, id: String) throws -> StoredRecord? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT team, owner, seq, state FROM records WHERE id = ?", arguments: [id])
        else {
            return nil
        }
        return StoredRecord(
            record: try WireJSON.decode(Record.self, from: row["state"] as String), team: row["team"],
            owner: row["owner"],
            seq: row["seq"])
    }

    public func pull(after seq: Int64, limit: Int, teams: [String], replica: String, userID: Int64) async throws -> (
        records: [Wire.PulledRecord], more: Bool, acked: [String]
    ) {
        try await pool.read { db in
            guard !teams.isEmpty else {
                let acked = try String.fetchAll(
                    db, sql: "SELECT id FROM mutations WHERE replica = ? AND user_id = ? AND seq > ? ORDER BY seq",
                    arguments: [replica, userID, seq])
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
                db,
                sql: "SELECT id FROM mutations WHERE replica = ? AND user_id = ? AND seq > ? AND seq <= ? ORDER BY seq",
                arguments: [replica, userID, seq, upTo])
            return (page, more, acked)
        }
    }

    public func history(recordID: String) async throws -> (team: String, entries: [Wire.Version])? {
        try await pool.read { db in
            guard
                let team = try String.fetchOne(db, sql: "SELECT team FROM records WHERE id = ?", arguments: [recordID])
            else {
                return nil
            }
            let entries = try Row.fetchAll(
                db,
                sql: """
                    SELECT v.seq, v.mutation, u.name, v.received, v.fields, v.state FROM versions v
                    JOIN users u ON u.id = v.user_id WHERE v.record_id = ? ORDER BY v.seq
                    """, arguments: [recordID]
            ).map { row in
                Wire.Version(
                    seq: row["seq"], mutation: row["mutation"], user: row["name"], received: row["received"],
                    fields: try WireJSON.decode([String].self, from: row["fields"] as String),
                    state: try WireJSON.decode(Record.self, from: row["state"] as String))
            }
            return (team, entries)
        }
    }
}

/// Replays fixed bytes as a random number generator (for ids derived from a hash).
struct SeededBytes: RandomNumberGenerator {
    let bytes: [UInt8]
    var index = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    mutating func next() -> UInt64 {
        var value: UInt64 = 0
        for _ in 0..<8 {
            value = value << 8 | UInt64(bytes[index % bytes.count])
            index += 1
        }
        return value
    }
}
