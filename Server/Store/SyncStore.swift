import BriefSyncModel

/// A user as the server knows them.
public struct ServerUser: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String
    public var disabled: Bool

    public init(id: Int64, name: String, disabled: Bool) {
        self.id = id
        self.name = name
        self.disabled = disabled
    }
}

/// What one push did.
public struct PushOutcome: Sendable {
    /// One answer per mutation, in order.
    public var results: [Wire.MutationResult]
    /// The teams whose records changed (for change notifications), byte-wise sorted.
    public var changedTeams: [String]
    /// How many conflict records the push made.
    public var conflicts: Int

    public init(results: [Wire.MutationResult], changedTeams: [String], conflicts: Int) {
        self.results = results
        self.changedTeams = changedTeams
        self.conflicts = conflicts
    }
}

/// A team with its members.
public struct ServerTeam: Sendable, Hashable, Codable {
    public struct Member: Sendable, Hashable, Codable {
        public var user: String
        public var role: Wire.Role

        public init(user: String, role: Wire.Role) {
            self.user = user
            self.role = role
        }
    }

    public var name: String
    public var members: [Member]
}

/// Where the server keeps accounts, records and history.
///
/// Both backends (embedded SQLite, PostgreSQL) implement it through ``RowStore``, which holds the
/// rules once, and pass one test suite. Every method is one transaction. Authorization decisions
/// are made by ``Authorization`` inside the push transaction, against the data it sees. Failures
/// are ``StoreError``s; the HTTP layer maps them to statuses once.
public protocol SyncStore: Sendable {
    // Accounts
    func addUser(name: String, passwordHash: String, now: Int64) async throws -> ServerUser
    func user(named name: String) async throws -> (user: ServerUser, passwordHash: String)?
    func users() async throws -> [ServerUser]
    func setDisabled(_ name: String, _ disabled: Bool) async throws
    func addTeam(name: String, now: Int64) async throws
    func setMember(team: String, user: String, role: Wire.Role?) async throws
    /// As ``setMember(team:user:role:)``, refusing (``StoreError/Code/lastOwner``) a change that
    /// leaves the team with no owner: members manage their team only through an owner.
    func setMember(team: String, user: String, role: Wire.Role?, keepingAnOwner: Bool) async throws
    func teams() async throws -> [ServerTeam]
    /// The members of `team` in byte order of their names; `nil` if there is no such team.
    func members(team: String) async throws -> [ServerTeam.Member]?
    func memberships(userID: Int64) async throws -> [Wire.Membership]

    /// Sets a new password hash and revokes the user's tokens.
    func setPassword(_ name: String, hash: String) async throws
    /// A user's tokens, newest first (ids are hash prefixes).
    func tokens(of name: String) async throws -> [TokenInfo]
    /// Revokes one token of a user (by id prefix) or all of them; returns how many were live.
    func revokeTokens(of name: String, id: String?) async throws -> Int
    /// Renames a team; its briefings get a new version naming it. Returns how many.
    func renameTeam(_ old: String, to new: String, now: Int64) async throws -> Int

    // Tokens (only hashes are stored)
    func addToken(hash: String, userID: Int64, now: Int64, expires: Int64) async throws
    func user(tokenHash: String, now: Int64) async throws -> ServerUser?
    /// The enabled user a live token belongs to, with their memberships, read in one snapshot
    /// (every authenticated request asks this first).
    func caller(tokenHash: String, now: Int64) async throws -> (ServerUser, [Wire.Membership])?
    func revokeToken(hash: String) async throws

    // Change notifications from other servers on the same database
    /// Teams whose records other servers changed, as they commit; `nil` when no other server
    /// can write to this store (the embedded one).
    func changesFromOtherServers() -> AsyncStream<[String]>?

    // Login limits (kept in the database, so every server on it shares them)
    /// Counts a login attempt under `rule`; `nil` if it may go on, else the milliseconds to wait.
    func admitLogin(_ rule: LoginRule, now: Int64) async throws -> Int64?
    /// The attempt under `rule` was right: it no longer counts.
    func loginSucceeded(_ rule: LoginRule) async throws

    // Sync
    /// The server's epoch (made on first start, new on every restore) and its lineage.
    func epoch() async throws -> Wire.Epoch
    /// Gives a database restored by other means (pg_restore, point-in-time recovery) a new
    /// epoch whose ancestor is the old one up to the highest sequence it holds, so clients heal
    /// it as they heal a restored backup. Returns the old and new epochs.
    func renewEpoch() async throws -> (old: Wire.Epoch, new: Wire.Epoch)
    /// Counts and size, for `briefd stats` and `/metrics`.
    func stats() async throws -> StoreStats
    /// How many records of `teams` changed after `seq` (for progress).
    func count(after seq: Int64, teams: [String]) async throws -> Int
    /// Applies a batch in one transaction; replayed mutation ids get their first answer again.
    /// With `epoch` (the one the batch's bases come from), a store now in another epoch (it was
    /// restored) applies nothing and throws ``EpochMismatch``: checked in the same transaction.
    func push(_ mutations: [Mutation], epoch: String?, user: ServerUser, now: Int64) async throws -> PushOutcome
    /// Records of `teams` changed after `seq`, oldest first, at most `limit`; `acked` lists the
    /// committed mutations of `replica` made by `userID` (a replica's acks go to its owner only).
    /// Records whose latest version is in `have`, and acks of those versions, are left out (the
    /// replica holds them); `reached` is the sequence number the page covers up to, left-out
    /// records included (the next cursor).
    ///
    /// One read transaction answers it whole: the epoch (a cursor of another one starts over at
    /// 0, and its `have` is not this epoch's, so it is ignored), the page and, when asked, the
    /// count — never an epoch from before a restore with records from after it.
    func pull(_ request: PullRequest) async throws -> PullPage
    /// Every accepted change of a record, oldest first.
    func history(recordID: String) async throws -> (team: String, entries: [Wire.Version])?

    // Moving teams between servers (`docs/operations.md`)
    /// One team, in one transaction.
    func export(team: String, now: Int64) async throws -> TeamExport
    /// Every team, in one transaction.
    func exportAll(now: Int64) async throws -> ServerExport
    /// Adds an exported team in one transaction, or refuses and changes nothing.
    func importTeam(_ export: TeamExport, now: Int64, makePassword: @Sendable () throws -> (String, String))
        async throws -> Imported
}

/// What ``SyncStore/pull(_:)`` is asked for.
public struct PullRequest: Sendable {
    /// Records after this sequence number…
    public var after: Int64
    /// …of this epoch (the cursor's); `nil` takes `after` as it is.
    public var epoch: String?
    public var limit: Int
    public var teams: [String]
    public var replica: String
    public var userID: Int64
    public var have: Wire.SeqRanges
    /// Count the records after the cursor too (a clone's progress).
    public var total: Bool

    public init(
        after: Int64, epoch: String? = nil, limit: Int, teams: [String], replica: String, userID: Int64,
        have: Wire.SeqRanges = .init(), total: Bool = false
    ) {
        (self.after, self.epoch, self.limit, self.teams) = (after, epoch, limit, teams)
        (self.replica, self.userID, self.have, self.total) = (replica, userID, have, total)
    }
}

/// One page of ``SyncStore/pull(_:)``.
public struct PullPage: Sendable {
    /// As stored: the answer carries each state as it is.
    public var records: [Wire.StoredRecord]
    public var more: Bool
    public var acked: [String]
    /// The highest sequence number the page covers (records left out for `have` included).
    public var reached: Int64
    /// The store's epoch when the page was read (the next cursor's).
    public var epoch: String = ""
    /// How many records of the teams come after the cursor, when asked.
    public var total: Int? = nil
}

/// A push made against another epoch than the store's (``SyncStore/push(_:epoch:user:now:)``).
public struct EpochMismatch: Error, Sendable {
    /// The store's epoch.
    public let current: Wire.Epoch
}

extension SyncStore {
    /// A push that names no epoch.
    public func push(_ mutations: [Mutation], user: ServerUser, now: Int64) async throws -> PushOutcome {
        try await push(mutations, epoch: nil, user: user, now: now)
    }

    /// A pull of the store's own epoch.
    public func pull(
        after seq: Int64, limit: Int, teams: [String], replica: String, userID: Int64, have: Wire.SeqRanges = .init()
    ) async throws -> PullPage {
        try await pull(
            PullRequest(after: seq, limit: limit, teams: teams, replica: replica, userID: userID, have: have))
    }
}
