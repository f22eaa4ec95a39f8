import BriefSyncModel

/// A record as a store holds it.
public struct StoredRecord: Sendable, Hashable {
    public var record: BriefSyncModel.Record
    public var team: String
    public var owner: Int64
    public var seq: Int64

    public init(record: BriefSyncModel.Record, team: String, owner: Int64, seq: Int64) {
        self.record = record
        self.team = team
        self.owner = owner
        self.seq = seq
    }
}
