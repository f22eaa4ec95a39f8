import BriefSyncModel

/// GRDB also has a `Record`; in this module the name means the synced record.
typealias Record = BriefSyncModel.Record
