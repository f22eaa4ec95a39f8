import BriefSyncModel

/// One transaction's rows: everything the store logic reads and writes, as small typed calls.
///
/// The logic — accounts, tokens, login limits, the push pipeline, pulls — is written once, above
/// this protocol, in ``RowStore``; a backend implements only these calls, each a statement or two.
///
/// Synchronous on purpose. SQLite (GRDB) runs a transaction as a closure on its writer thread, and
/// a push is a loop of small, dependent reads and writes that should cost no thread hops there.
/// The PostgreSQL backend runs the same closure on a thread of its own and waits for each
/// statement, which costs a round trip per call either way.
///
/// Names are compared byte for byte (they are stored in NFC); lists come back in the order each
/// call names, byte-wise where it says so, so every backend answers identically.
public protocol StoreTransaction {
    /// Runs `body` in a savepoint: kept if it returns, undone (and its error rethrown) if it
    /// throws, while the transaction goes on (group commit: one push's failure is its own).
    func savepoint<T>(_ body: () throws -> T) throws -> T

    // MARK: Meta
    func meta(_ key: String) throws -> String?
    func setMeta(_ key: String, _ value: String) throws

    /// Rows per table: users, teams, versions, and records by kind.
    func counts() throws -> (users: Int, teams: Int, versions: Int, records: [RecordKind: Int])
    /// The database's size in bytes.
    func databaseBytes() throws -> Int64

    /// Tells other servers on the same database, once this transaction commits, that these teams'
    /// records changed (PostgreSQL: `NOTIFY`; one embedded server has no one to tell).
    func announce(teams: [String]) throws

    // MARK: Users
    /// Every user name, in no particular order (for the equivalent-name rule).
    func userNames() throws -> [String]
    /// Inserts a user and returns its id.
    func insertUser(name: String, passwordHash: String, now: Int64) throws -> Int64
    func user(named name: String) throws -> (user: ServerUser, passwordHash: String)?
    func userID(named name: String) throws -> Int64?
    /// Every user, byte-wise by name.
    func users() throws -> [ServerUser]
    /// Sets the flag and returns the user's id; `nil` when there is no such user.
    func setDisabled(name: String, _ disabled: Bool) throws -> Int64?
    /// Revokes every token of a user.
    func revokeTokens(userID: Int64) throws
    func setPasswordHash(userID: Int64, _ hash: String) throws
    /// A user's tokens, newest first.
    func tokens(userID: Int64) throws -> [TokenInfo]
    /// Revokes a user's tokens whose hash starts with `prefix` (hex digits); returns how many.
    func revokeTokens(userID: Int64, prefix: String) throws -> Int

    // MARK: Teams
    /// Every team name, in no particular order.
    func teamNames() throws -> [String]
    func insertTeam(name: String, now: Int64) throws
    func teamID(named name: String) throws -> Int64?
    /// Renames a team and moves its records' placement to the new name.
    func renameTeam(id: Int64, from old: String, to new: String) throws
    /// The ids of a team's records of one kind.
    func recordIDs(team: String, kind: RecordKind) throws -> [String]
    func setRole(teamID: Int64, userID: Int64, role: Wire.Role) throws
    /// Removes a membership; `false` when there was none.
    func removeMember(teamID: Int64, userID: Int64) throws -> Bool
    /// The members of `team`, byte-wise by user name.
    func members(team: String) throws -> [ServerTeam.Member]
    /// A user's memberships, byte-wise by team name.
    func memberships(userID: Int64) throws -> [Wire.Membership]

    // MARK: Tokens (only hashes are stored)
    func insertToken(hash: String, userID: Int64, now: Int64, expires: Int64) throws
    /// The enabled user a live, unrevoked token belongs to.
    func user(tokenHash: String, now: Int64) throws -> ServerUser?
    func revokeToken(hash: String) throws

    // MARK: Login attempts (shared by every server on the database)
    /// Forgets every attempt at or before `before` (so a flood of names leaves nothing behind).
    func pruneLoginAttempts(before: Int64) throws
    /// The attempts under `key`, oldest first.
    func loginAttempts(key: String) throws -> [Int64]
    func addLoginAttempt(key: String, at: Int64) throws
    /// Forgets every attempt under `key`.
    func clearLoginAttempts(key: String) throws
    /// Forgets the newest attempt under `key`.
    func dropNewestLoginAttempt(key: String) throws

    // MARK: Records
    func record(id: String) throws -> StoredRecord?
    /// The team and kind of a record, without decoding it.
    func placement(ofRecord id: String) throws -> (team: String, kind: RecordKind)?
    /// Inserts or updates a record's state, team, owner (kept on update) and sequence number;
    /// `state` is the record's wire JSON (encoded once for the record and its version).
    func saveRecord(_ record: BriefSyncModel.Record, state: String, team: String, owner: Int64, seq: Int64) throws
    /// How many records of `teams` have a sequence number above `seq`.
    func countRecords(after seq: Int64, teams: [String]) throws -> Int
    /// Records of `teams` above `seq`, by sequence number, at most `limit`, as stored.
    func records(after seq: Int64, teams: [String], limit: Int) throws -> [Wire.StoredRecord]

    /// A team's records with their owners' names, by sequence number (for exports).
    func teamRecords(team: String) throws -> [TeamExport.Entry]
    /// Every version of a team's records with its record id, by sequence number then record id.
    func teamVersions(team: String) throws -> [(record: String, version: Wire.Version)]

    // MARK: Mutations
    func mutation(id: String) throws -> StoredMutation?
    func insertMutation(_ m: StoredMutation, body: String) throws
    /// The bodies of `replica`'s applied mutations of a record above `seq`, oldest first.
    func appliedBodies(recordID: String, replica: String, after seq: Int64) throws -> [String]
    /// The name of a user who pushed from `replica`.
    func userName(ofReplica replica: String) throws -> String?
    /// Ids and sequence numbers of `replica`'s mutations by `userID` with `after < seq <= upTo`, in order.
    func acked(replica: String, userID: Int64, after: Int64, upTo: Int64) throws -> [(id: String, seq: Int64)]

    // MARK: Versions
    /// The state of a record's newest version at or below `seq`.
    func versionState(recordID: String, atOrBelow seq: Int64) throws -> BriefSyncModel.Record?
    /// Inserts a version; `state` is its record's wire JSON.
    func insertVersion(_ version: StoredVersion, state: String) throws
    /// Every version of a record, oldest first, with its author's name.
    func versions(recordID: String) throws -> [Wire.Version]
}

extension StoreTransaction {
    func saveRecord(_ record: BriefSyncModel.Record, team: String, owner: Int64, seq: Int64) throws {
        try saveRecord(record, state: try WireJSON.string(record), team: team, owner: owner, seq: seq)
    }

    func insertVersion(_ version: StoredVersion) throws {
        try insertVersion(version, state: try WireJSON.string(version.record))
    }
}

/// A token as an admin sees it: never the token, only the start of its hash.
public struct TokenInfo: Sendable, Codable, Hashable {
    /// The first 12 hex digits of the token's SHA-256, enough to name it.
    public var id: String
    public var created: Int64
    public var expires: Int64
    public var revoked: Bool
    public init(id: String, created: Int64, expires: Int64, revoked: Bool) {
        self.id = id
        self.created = created
        self.expires = expires
        self.revoked = revoked
    }
}

/// A pushed mutation's outcome as a store keeps it (the answer a replay gets again).
public struct StoredMutation: Sendable, Hashable {
    public var id: String
    public var replica: String
    public var userID: Int64
    public var recordID: String
    /// The sequence number of the version it made; 0 when refused.
    public var seq: Int64
    public var status: Wire.MutationResult.Status
    public var reason: String?
    public var received: Int64
    /// ``Wire/MutationResult/after``, kept for replays.
    public var after: Int64?

    public init(
        id: String, replica: String, userID: Int64, recordID: String, seq: Int64,
        status: Wire.MutationResult.Status, reason: String?, received: Int64, after: Int64? = nil
    ) {
        self.id = id
        self.replica = replica
        self.userID = userID
        self.recordID = recordID
        self.seq = seq
        self.status = status
        self.reason = reason
        self.received = received
        self.after = after
    }
}

/// One accepted version of a record.
public struct StoredVersion: Sendable {
    public var record: BriefSyncModel.Record
    public var seq: Int64
    public var userID: Int64
    public var mutation: String
    public var received: Int64
    public var fields: [String]

    public init(
        record: BriefSyncModel.Record, seq: Int64, userID: Int64, mutation: String, received: Int64, fields: [String]
    ) {
        self.record = record
        self.seq = seq
        self.userID = userID
        self.mutation = mutation
        self.received = received
        self.fields = fields
    }
}
