import BriefSyncModel

/// What a backup holds, written at its head and checked by `briefd backup verify`.
public struct BackupManifest: Sendable, Hashable, Codable {
    /// Rows per table in the snapshot.
    public struct Counts: Sendable, Hashable, Codable {
        public var users: Int
        public var teams: Int
        public var records: Int
        public var conflicts: Int
        public var versions: Int
        public var mutations: Int
    }

    /// The format version of the file.
    public var format: Int
    /// When the snapshot was taken (ms since 1970).
    public var created: Int64
    /// The server's epoch and lineage when the snapshot was taken.
    public var epoch: Wire.Epoch
    /// The highest sequence number in the snapshot: every change up to it, none after.
    public var highestSeq: Int64
    public var counts: Counts
    /// Size in bytes and SHA-256 (hex) of the database that follows the manifest.
    public var size: Int64
    public var sha256: String
}
