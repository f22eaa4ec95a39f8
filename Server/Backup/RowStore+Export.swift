import BriefSyncModel
import Foundation

/// What an import did.
public struct Imported: Sendable {
    public var team: String
    public var records: Int
    public var versions: Int
    /// Users the import created, with the password each was given (shown once).
    public var createdUsers: [(name: String, password: String)]
}

extension RowStore {
    /// The team `team` as a ``TeamExport``, read in one transaction.
    public func export(team name: String, now: Int64) async throws -> TeamExport {
        let team = name.precomposedStringWithCanonicalMapping
        return try await read { tx in try Self.export(tx, team: team, now: now) }
    }

    /// Every team, read in one transaction.
    public func exportAll(now: Int64) async throws -> ServerExport {
        try await read { tx in
            let teams = try tx.teamNames().sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            return ServerExport(
                exported: now, server: try Self.epoch(tx),
                teams: try teams.map { try Self.export(tx, team: $0, now: now) })
        }
    }

    static func export(_ tx: Transaction, team: String, now: Int64) throws -> TeamExport {
        guard try tx.teamID(named: team) != nil else {
            throw BackupError(.refused, "no team '\(team)' on this server ('briefd team list' shows them)")
        }
        let versions = try tx.teamVersions(team: team)
        return TeamExport(
            format: TeamExport.formatName, version: 1, exported: now, server: try Self.epoch(tx), team: team,
            members: try tx.members(team: team), records: try tx.teamRecords(team: team),
            versions: versions.map(\.version), versionRecords: versions.map(\.record))
    }

    /// Adds an exported team to this server, in one transaction: refused (nothing changed) if the
    /// team already holds records here or the file breaks any rule the API enforces.
    ///
    /// Records and versions get new sequence numbers after this server's, in their exported
    /// order. Users the file names that this server lacks are created with a random password.
    public func importTeam(
        _ export: TeamExport, now: Int64, makePassword: @Sendable () throws -> (String, String)
    ) async throws -> Imported {
        try Self.check(export)
        let team = try Self.identity(export.team, what: "the team name")
        var names = Set(export.members.map(\.user))
        names.formUnion(export.records.map(\.owner))
        names.formUnion(export.versions.map(\.user))
        // Versions the server itself made (a team rename) name no user.
        names.remove(Self.serverAuthor)
        var created: [(String, String, String)] = []
        for name in names.sorted() {
            _ = try Self.identity(name, what: "a user name in the file")
            if try await read({ try $0.userID(named: name) }) == nil {
                let (password, hash) = try makePassword()
                created.append((name, password, hash))
            }
        }
        let createdUsers = created
        let allNames = names
        return try await write { tx in
            let held = try tx.countRecords(after: 0, teams: [team])
            if held > 0 {
                throw BackupError(
                    .refused,
                    "team '\(team)' already holds \(held) records on this server; nothing was imported (import into a server without this team's data)"
                )
            }
            for e in export.records where try tx.placement(ofRecord: e.id) != nil {
                throw BackupError(
                    .refused, "record \(e.id) already exists on this server (in another team); nothing was imported")
            }
            if try tx.teamID(named: team) == nil { try tx.insertTeam(name: team, now: now) }
            for (name, _, hash) in createdUsers where try tx.userID(named: name) == nil {
                _ = try tx.insertUser(name: name, passwordHash: hash, now: now)
            }
            var ids: [String: Int64] = [Self.serverAuthor: 0]
            for name in allNames { ids[name] = try tx.userID(named: name) }
            guard let teamID = try tx.teamID(named: team) else { throw StoreError(.notFound, "no team '\(team)'") }
            let present = Set(try tx.members(team: team).map(\.user))
            for member in export.members where !present.contains(member.user) {
                try tx.setRole(teamID: teamID, userID: ids[member.user]!, role: member.role)
            }
            let base = try Self.sequence(tx)
            let seqs = Set(export.records.map(\.seq)).union(export.versions.map(\.seq)).sorted()
            var newSeq: [Int64: Int64] = [:]
            for (i, s) in seqs.enumerated() { newSeq[s] = base + Int64(i) + 1 }
            for e in export.records {
                try tx.saveRecord(e.state, team: team, owner: ids[e.owner]!, seq: newSeq[e.seq]!)
            }
            for (v, record) in zip(export.versions, export.versionRecords) {
                try tx.insertVersion(
                    StoredVersion(
                        record: v.state, seq: newSeq[v.seq]!, userID: ids[v.user]!, mutation: v.mutation,
                        received: v.received, fields: v.fields))
            }
            try tx.setMeta(MetaKey.seq, String(base + Int64(seqs.count)))
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
