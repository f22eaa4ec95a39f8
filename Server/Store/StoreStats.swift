import BriefSyncModel

/// What a store holds, for `briefd stats` and `/metrics`.
public struct StoreStats: Sendable, Codable, Hashable {
    public var users: Int
    public var teams: Int
    public var records: Int
    public var briefings: Int
    public var annotations: Int
    public var conflicts: Int
    public var versions: Int
    public var highestSeq: Int64
    /// The database's size on disk.
    public var bytes: Int64
    public var epoch: String

    public init(
        users: Int, teams: Int, records: Int, briefings: Int, annotations: Int, conflicts: Int, versions: Int,
        highestSeq: Int64, bytes: Int64, epoch: String
    ) {
        self.users = users
        self.teams = teams
        self.records = records
        self.briefings = briefings
        self.annotations = annotations
        self.conflicts = conflicts
        self.versions = versions
        self.highestSeq = highestSeq
        self.bytes = bytes
        self.epoch = epoch
    }
}
