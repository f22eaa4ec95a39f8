import BriefSyncModel
import Foundation
import GRDB

/// One version in `brief log`.
public struct VersionView: Sendable, Hashable, Codable {
    public var version: Int64
    public var user: String?
    /// ISO 8601.
    public var at: String
    public var fields: [String]
}

extension Replica {
    /// Keeps server versions of records (from a pull or from the server's history) for `brief log`.
    func storeVersions(_ db: Database, _ versions: [Wire.Version]) throws {
        for v in versions {
            try db.execute(
                sql: """
                    INSERT INTO history(record_id, seq, user, at, fields, state) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT DO UPDATE SET user = excluded.user, at = excluded.at, fields = excluded.fields
                    """,
                arguments: [
                    v.state.id, v.seq, v.user.isEmpty ? nil : v.user, v.received, try WireJSON.string(v.fields),
                    try WireJSON.string(v.state),
                ])
        }
    }

    /// A pulled state as a version: its seq and the fields that differ from the previous version
    /// kept here. `hasHistory: false`: the caller knows this replica keeps no version of the
    /// record yet (a clone's records), so none is looked up.
    static func pulledVersion(
        _ db: Database, _ pulled: Wire.PulledRecord, hasHistory: Bool = true, rows: RecordRows? = nil
    ) throws -> RecordStore.Version {
        let previous =
            try hasHistory
            ? RecordStore.latestVersionState(db, id: pulled.record.id, before: pulled.seq).map {
                try WireJSON.decode(Record.self, from: $0)
            } : nil
        guard let previous else {
            return RecordStore.Version(
                seq: pulled.seq, fields: rows?.allFields ?? RecordRows.fieldList(pulled.record.fields.keys))
        }
        return RecordStore.Version(
            seq: pulled.seq,
            fields: RecordRows.fieldList(pulled.record.fields.filter { previous.fields[$0.key] != $0.value }.keys))
    }

    /// Records a pulled state the record's row does not hold as it is (changes are queued on
    /// it, or it is a push's answer) as a `history` row of its own.
    static func storePulled(_ db: Database, _ pulled: Wire.PulledRecord, rows: RecordRows? = nil) throws {
        let version = try pulledVersion(db, pulled, rows: rows)
        try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO history(record_id, seq, user, at, fields, state) VALUES (?, ?, NULL, ?, ?, ?)"
        ).execute(arguments: [
            pulled.record.id, pulled.seq, rows?.updated ?? pulled.record.latestStamp.physical, version.fields,
            try rows?.state ?? WireJSON.string(pulled.record),
        ])
    }

    /// Saves versions fetched from the server's history.
    public func cacheHistory(_ versions: [Wire.Version]) throws {
        try database.write { db in try storeVersions(db, versions) }
    }

    /// The versions of record `id` this replica knows, oldest first.
    public func log(_ id: String) throws -> (id: String, versions: [VersionView]) {
        try read { db in
            let record = try RecordStore.resolve(db, id)
            let rows = try Row.fetchAll(
                db, sql: "SELECT seq, user, at, fields FROM versions WHERE record_id = ? ORDER BY seq",
                arguments: [record.id])
            return (
                record.id,
                try rows.map { row in
                    VersionView(
                        version: row["seq"], user: row["user"], at: Self.iso8601(row["at"]),
                        fields: try WireJSON.decode([String].self, from: row["fields"] as String))
                }
            )
        }
    }

    /// The full id of a live record, for callers that go to the server with it.
    /// With `kind`, only records of that kind are considered (as the command taking it does).
    public func fullID(_ prefix: String, kind: RecordKind? = nil) throws -> String {
        try read { try RecordStore.resolve($0, prefix, kind: kind).id }
    }

    /// Writes a new version of record `id` whose content is that of `version` (history is never
    /// rewritten: this is a change like any other, synced and undoable).
    public func revert(_ id: String, to version: Int64) throws {
        try change { ctx in
            let record = try RecordStore.resolve(ctx.db, id)
            guard
                let state = try RecordStore.versionState(ctx.db, id: record.id, seq: version)
            else {
                throw ClientError(
                    .notFound,
                    "no version \(version) of \(Identifier.short(record.id)); see 'brief log \(Identifier.short(record.id))'"
                )
            }
            let old = try WireJSON.decode(Record.self, from: state)
            let stamp = ctx.stamp()
            var delta = Record.delta(from: record, to: old, at: stamp)
            for tag in Set(old.tags.elements).subtracting(record.tags.elements) { delta.tags.add(tag, at: stamp) }
            for tag in Set(record.tags.elements).subtracting(old.tags.elements) {
                delta.tags.remove(tag, observed: record.tags)
            }
            if !delta.isEmptyDelta { try ctx.apply(delta) }
        }
    }
}
