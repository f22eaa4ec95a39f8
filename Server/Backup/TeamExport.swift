import BriefSyncModel

/// One team as a portable JSON file (`briefd export` / `briefd import`), to move a team between
/// servers. Documented in `docs/operations.md`.
public struct TeamExport: Sendable, Codable {
    public static let formatName = "briefsync-team-export"

    /// A record as the server holds it: its latest state, who owns it, and the sequence number
    /// of its latest change on the exporting server.
    public struct Entry: Sendable, Codable {
        public var id: String
        public var owner: String
        public var seq: Int64
        public var state: BriefSyncModel.Record

        public init(id: String, owner: String, seq: Int64, state: BriefSyncModel.Record) {
            self.id = id
            self.owner = owner
            self.seq = seq
            self.state = state
        }
    }

    public var format: String
    public var version: Int
    /// When the export was made (ms since 1970).
    public var exported: Int64
    /// The exporting server's epoch.
    public var server: Wire.Epoch
    public var team: String
    public var members: [ServerTeam.Member]
    /// Briefings, annotations and conflicts, oldest change first.
    public var records: [Entry]
    /// Every accepted version of those records (`GET /v1/records/{id}/history`), oldest first;
    /// `seq` numbers are the exporting server's.
    public var versions: [Wire.Version]
    /// For each version, the record it belongs to (same order as `versions`).
    public var versionRecords: [String]
}

/// Every team of a server as portable JSON: what `briefd backup` writes for a PostgreSQL store
/// (whose real backups are pg_dump and WAL archiving); `briefd import` reads it.
public struct ServerExport: Sendable, Codable {
    public static let formatName = "briefsync-server-export"
    public var format: String
    public var version: Int
    public var exported: Int64
    public var server: Wire.Epoch
    public var teams: [TeamExport]

    public init(exported: Int64, server: Wire.Epoch, teams: [TeamExport]) {
        format = Self.formatName
        version = 1
        self.exported = exported
        self.server = server
        self.teams = teams
    }
}
