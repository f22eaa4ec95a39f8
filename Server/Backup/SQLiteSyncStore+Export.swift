import BriefSyncModel
import Foundation
import GRDB

extension SQLiteSyncStore {
    /// The team `team` as a ``TeamExport``, read in one transaction.
    public func export(team name: String, now: Int64) throws -> TeamExport {
        let team = name.precomposedStringWithCanonicalMapping
        return try pool.read { db in
            guard try Int64.fetchOne(db, sql: "SELECT id FROM teams WHERE name = ?", arguments: [team]) != nil else {
                throw BackupError(.refused, "no team '\(team)' on this server ('briefd team list' shows them)")
            }
            let members = try Self.members(db, team: team)
            let records = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.id, u.name, r.seq, r.state FROM records r JOIN users u ON u.id = r.owner
                    WHERE r.team = ? ORDER BY r.seq
                    """, arguments: [team]
            ).map {
                TeamExport.Entry(
                    id: $0[0], owner: $0[1], seq: $0[2], state: try WireJSON.decode(Record.self, from: $0[3] as String))
            }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT v.record_id, v.seq, v.mutation, u.name, v.received, v.fields, v.state FROM versions v
                    JOIN users u ON u.id = v.user_id JOIN records r ON r.id = v.record_id
                    WHERE r.team = ? ORDER BY v.seq, v.record_id
                    """, arguments: [team])
            let versions = try rows.map { row in
                Wire.Version(
                    seq: row[1], mutation: row[2], user: row[3], received: row[4],
                    fields: try WireJSON.decode([String].self, from: row[5] as String),
                    state: try WireJSON.decode(Record.self, from: row[6] as String))
            }
            return TeamExport(
                format: TeamExport.formatName, version: 1, exported: now, server: try Self.epoch(db), team: team,
                members: members, records: records, versions: versions,
                versionRecords: rows.map { $0[0] as String })
        }
    }

    /// What an import did.
    public struct Imported: Sendable {
        public var team: String
        public var records: Int
        public var versions: Int
        /// Users the import created, with the password each was given (shown once).
        public var createdUsers: [(name: String, password: String)]
    }

    /// Adds an exported team to this server, in one transaction: refused (nothing changed) if the
    /// team already holds records here or the file breaks any rule the API enforces.
    ///
    /// Records and versions get new sequence numbers after this server's, in their exported
    /// order. Users the file names that this server lacks are created with a random password.
    public func importTeam(_ export: TeamExport, now: Int64, makePassword: () throws -> (String, String)) throws
        -> Imported
    {
        try Self.check(export)
        let team = try Self.identity(export.team, what: "the team name")
        var names = Set(export.members.map(\.user))
        names.formUnion(export.records.map(\.owner))
        names.formUnion(export.versions.map(\.user))
        var created: [(String, String, String)] = []
        for name in names.sorted() {
            _ = try Self.identity(name, what: "a user name in the file")
            let exists = try pool.read { db in
                try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE name = ?", arguments: [name]) != nil
            }
            if !exists {
                let (password, hash) = try makePassword()
                created.append((name, password, hash))
            }
        }
        let createdUsers = created
        return try pool.write { db in
            if let held = try Int.fetchOne(db, sql: "SELECT count(*) FROM records WHERE team = ?", arguments: [team]),
                held > 0
            {
                throw BackupError(
                    .refused,
                    "team '\(team)' already holds \(held) records on this server; nothing was imported (import into a server without this team's data)"
                )
            }
            for e in export.records
            where try Int.fetchOne(try db.cachedStatement(sql: "SELECT 1 FROM records WHERE id = ?"), arguments: [e.id])
                != nil
            {
                throw BackupError(
                    .refused, "record \(e.id) already exists on this server (in another team); nothing was imported")
            }
            if try Int64.fetchOne(db, sql: "SELECT id FROM teams WHERE name = ?", arguments: [team]) == nil {
                try db.execute(sql: "INSERT INTO teams(name, created) VALUES (?, ?)", arguments: [team, now])
            }
            for (name, _, hash) in createdUsers {
                try db.execute(
                    sql: "INSERT INTO users(name, password, created) VALUES (?, ?, ?)", arguments: [name, hash, now])
            }
            var ids: [String: Int64] = [:]
            for name in names {
                ids[name] = try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE name = ?", arguments: [name])
            }
            let teamID = try Int64.fetchOne(db, sql: "SELECT id FROM teams WHERE name = ?", arguments: [team])!
            for member in export.members {
                try db.execute(
                    sql: "INSERT INTO members(team_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    arguments: [teamID, ids[member.user]!, member.role.rawValue])
            }
            let base = try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'") ?? 0
            let seqs = Set(export.records.map(\.seq)).union(export.versions.map(\.seq)).sorted()
            var newSeq: [Int64: Int64] = [:]
            for (i, s) in seqs.enumerated() { newSeq[s] = base + Int64(i) + 1 }
            for e in export.records {
                try db.execute(
                    sql: "INSERT INTO records(id, kind, team, owner, seq, state) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [
                        e.id, e.state.kind.rawValue, team, ids[e.owner]!, newSeq[e.seq]!, try WireJSON.string(e.state),
                    ]
                )
            }
            for (v, record) in zip(export.versions, export.versionRecords) {
                try db.execute(
                    sql: """
                        INSERT INTO versions(record_id, seq, user_id, mutation, received, fields, state)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        record, newSeq[v.seq]!, ids[v.user]!, v.mutation, v.received, try WireJSON.string(v.fields),
                        try WireJSON.string(v.state),
                    ])
            }
            try db.execute(
                sql: "UPDATE meta SET value = ? WHERE key = 'seq'", arguments: [String(base + Int64(seqs.count))])
            return Imported(
                team: team, records: export.records.count, versions: export.versions.count,
                createdUsers: createdUsers.map { ($0.0, $0.1) })
        }
    }

    /// Every rule a record must keep to enter through the API, checked before anything is written.
    static func check(_ export: TeamExport) throws {
        func bad(_ what: String) -> BackupError {
            BackupError(.notABackup, "the export is not valid: \(what); nothing was imported")
        }
        guard export.format == TeamExport.formatName, export.version == 1 else {
            throw BackupError(.notABackup, "not a BriefSync team export (format \(TeamExport.formatName), version 1)")
        }
        guard export.versions.count == export.versionRecords.count else {
            throw bad("versions and versionRecords differ in length")
        }
        var ids = Set<String>()
        for e in export.records {
            if let problem = Wire.Validation.identifierProblem(e.id, what: "record id") { throw bad(problem) }
            guard e.state.id == e.id else { throw bad("record \(e.id) holds the state of \(e.state.id)") }
            guard ids.insert(e.id).inserted else { throw bad("record \(e.id) appears twice") }
            guard e.seq > 0 else { throw bad("record \(e.id) has sequence number \(e.seq)") }
            for stamp in e.state.allStamps {
                if let problem = Wire.Validation.stampProblem(stamp) { throw bad(problem) }
            }
            if let field = e.state.fields.keys.first(where: { !MutationPolicy.allowed($0, kind: e.state.kind) }) {
                throw bad("record \(e.id) has the unknown field '\(field.prefix(64))'")
            }
            for tag in e.state.tags.added.keys {
                if let problem = Wire.Validation.tagProblem(tag) { throw bad(problem) }
            }
        }
        var versionKeys = Set<String>()
        for (v, record) in zip(export.versions, export.versionRecords) {
            guard ids.contains(record), v.state.id == record else {
                throw bad("a version of \(record) belongs to no exported record")
            }
            guard v.seq > 0, versionKeys.insert("\(record)/\(v.seq)").inserted else {
                throw bad("record \(record) has two versions #\(v.seq)")
            }
            if let problem = Wire.Validation.identifierProblem(v.mutation, what: "mutation id") { throw bad(problem) }
        }
    }
}
