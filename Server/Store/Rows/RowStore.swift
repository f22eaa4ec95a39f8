import BriefSyncModel
import Foundation

/// A ``SyncStore`` made of a backend's transactions: every rule is written here once, above
/// ``StoreTransaction``, and every backend (SQLite, PostgreSQL) gets it by conforming.
///
/// A backend promises:
/// - `read` sees one consistent snapshot;
/// - `write` transactions are serialized — across every server on the same database — and each
///   sees everything committed before it began, so sequence numbers become visible in order and
///   a pull cursor never steps past a change that commits later (`docs/architecture.md`);
/// - a `write` either commits whole or changes nothing, and it returns only after its commit is
///   durable;
/// - failures are thrown as ``StoreError``.
public protocol RowStore: SyncStore {
    associatedtype Transaction: StoreTransaction
    /// Where concurrent pushes meet to share a transaction; `nil`: one transaction per push.
    var groupCommit: GroupCommit? { get }
    func read<T: Sendable>(_ body: @escaping @Sendable (Transaction) throws -> T) async throws -> T
    func write<T: Sendable>(_ body: @escaping @Sendable (Transaction) throws -> T) async throws -> T
}

extension StoreTransaction {
    /// The highest sequence number given out.
    func sequence() throws -> Int64 { try meta(MetaKey.seq).flatMap { Int64($0) } ?? 0 }
}

/// Meta keys every backend keeps.
enum MetaKey {
    static let epoch = "epoch"
    static let ancestors = "ancestors"
    static let seq = "seq"
    static let clock = "clock"
}

extension RowStore {
    /// Makes the epoch and sequence of a new database; does nothing to an existing one.
    public func prepareMeta() async throws {
        try await write { try Self.prepareMeta($0) }
    }

    /// ``prepareMeta()`` inside a transaction the caller holds (SQLite opens synchronously).
    static func prepareMeta(_ tx: Transaction) throws {
        guard try tx.meta(MetaKey.epoch) == nil else { return }
        try tx.setMeta(MetaKey.epoch, newEpochName())
        try tx.setMeta(MetaKey.seq, "0")
    }

    /// A new epoch name: 8 random hex digits.
    public static func newEpochName() -> String { UUID().uuidString.lowercased().prefix(8).description }

    /// The one identity rule for names: valid (no control characters, NUL included), stored in
    /// NFC, compared byte for byte; a name canonically equal to an existing one is refused.
    public static func identity(_ name: String, what: String) throws -> String {
        if let problem = Wire.Validation.nameProblem(name, what: what) { throw StoreError(.invalid, problem) }
        return name.precomposedStringWithCanonicalMapping
    }

    static func epoch(_ tx: Transaction) throws -> Wire.Epoch {
        let ancestors = try tx.meta(MetaKey.ancestors).map {
            try WireJSON.decode([Wire.Epoch.Ancestor].self, from: $0)
        }
        return Wire.Epoch(epoch: try tx.meta(MetaKey.epoch) ?? "", ancestors: ancestors ?? [])
    }

    static func sequence(_ tx: Transaction) throws -> Int64 { try tx.sequence() }

    public func epoch() async throws -> Wire.Epoch {
        try await read { try Self.epoch($0) }
    }

    public func renewEpoch() async throws -> (old: Wire.Epoch, new: Wire.Epoch) {
        try await write { tx in
            let old = try Self.epoch(tx)
            let new = old.restored(as: Self.newEpochName(), at: try Self.sequence(tx))
            try tx.setMeta(MetaKey.epoch, new.epoch)
            try tx.setMeta(MetaKey.ancestors, try WireJSON.string(new.ancestors))
            return (old, new)
        }
    }

    public func stats() async throws -> StoreStats {
        try await read { tx in
            let c = try tx.counts()
            return StoreStats(
                users: c.users, teams: c.teams, records: c.records.values.reduce(0, +),
                briefings: c.records[.briefing] ?? 0, annotations: c.records[.annotation] ?? 0,
                conflicts: c.records[.conflict] ?? 0, versions: c.versions, highestSeq: try Self.sequence(tx),
                bytes: try tx.databaseBytes(), epoch: try Self.epoch(tx).epoch)
        }
    }

    public func count(after seq: Int64, teams: [String]) async throws -> Int {
        guard !teams.isEmpty else { return 0 }
        return try await read { try $0.countRecords(after: seq, teams: teams) }
    }

    // MARK: Accounts

    public func addUser(name: String, passwordHash: String, now: Int64) async throws -> ServerUser {
        let name = try Self.identity(name, what: "the user name")
        return try await write { tx in
            if let same = try tx.userNames().first(where: {
                $0.precomposedStringWithCanonicalMapping.utf8.elementsEqual(name.utf8)
            }) {
                throw StoreError(
                    .exists,
                    same == name ? "user '\(name)' already exists" : "a user with an equivalent name ('\(same)') exists"
                )
            }
            let id = try tx.insertUser(name: name, passwordHash: passwordHash, now: now)
            return ServerUser(id: id, name: name, disabled: false)
        }
    }

    public func user(named name: String) async throws -> (user: ServerUser, passwordHash: String)? {
        try await read { try $0.user(named: name) }
    }

    public func users() async throws -> [ServerUser] {
        try await read { try $0.users() }
    }

    public func setDisabled(_ name: String, _ disabled: Bool) async throws {
        let name = name.precomposedStringWithCanonicalMapping
        try await write { tx in
            guard let id = try tx.setDisabled(name: name, disabled) else {
                throw StoreError(.notFound, "no user '\(name)'")
            }
            if disabled { try tx.revokeTokens(userID: id) }
        }
    }

    public func addTeam(name: String, now: Int64) async throws {
        let name = try Self.identity(name, what: "the team name")
        try await write { tx in
            if let same = try tx.teamNames().first(where: {
                $0.precomposedStringWithCanonicalMapping.utf8.elementsEqual(name.utf8)
            }) {
                throw StoreError(
                    .exists,
                    same == name ? "team '\(name)' already exists" : "a team with an equivalent name ('\(same)') exists"
                )
            }
            try tx.insertTeam(name: name, now: now)
        }
    }

    public func setMember(team: String, user: String, role: Wire.Role?) async throws {
        try await setMember(team: team, user: user, role: role, keepingAnOwner: false)
    }

    public func setMember(team: String, user: String, role: Wire.Role?, keepingAnOwner: Bool) async throws {
        let team = team.precomposedStringWithCanonicalMapping
        let user = user.precomposedStringWithCanonicalMapping
        try await write { tx in
            guard let teamID = try tx.teamID(named: team) else { throw StoreError(.notFound, "no team '\(team)'") }
            guard let userID = try tx.userID(named: user) else { throw StoreError(.notFound, "no user '\(user)'") }
            if keepingAnOwner, role != .owner {
                // Checked in the write transaction: two owners demoting each other at once
                // cannot both pass.
                let owners = try tx.members(team: team).filter { $0.role == .owner }
                if owners.count == 1, owners[0].user.utf8.elementsEqual(user.utf8) {
                    throw StoreError(
                        .lastOwner,
                        "\(user) is the only owner of team '\(team)'; make another member owner first")
                }
            }
            if let role {
                try tx.setRole(teamID: teamID, userID: userID, role: role)
            } else if try !tx.removeMember(teamID: teamID, userID: userID) {
                throw StoreError(.notFound, "\(user) is not a member of \(team)")
            }
        }
    }

    public func teams() async throws -> [ServerTeam] {
        try await read { tx in
            try tx.teamNames().sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map {
                ServerTeam(name: $0, members: try tx.members(team: $0))
            }
        }
    }

    public func members(team: String) async throws -> [ServerTeam.Member]? {
        let team = team.precomposedStringWithCanonicalMapping
        return try await read { tx in
            guard try tx.teamID(named: team) != nil else { return nil }
            return try tx.members(team: team).sorted { $0.user.utf8.lexicographicallyPrecedes($1.user.utf8) }
        }
    }

    public func memberships(userID: Int64) async throws -> [Wire.Membership] {
        try await read { try $0.memberships(userID: userID) }
    }

    /// The author shown for versions the server made itself (no user has this name: it is not
    /// a valid `briefd user add` name).
    public static var serverAuthor: String { "(server)" }

    public func setPassword(_ name: String, hash: String) async throws {
        let name = name.precomposedStringWithCanonicalMapping
        try await write { tx in
            guard let id = try tx.userID(named: name) else { throw StoreError(.notFound, "no user '\(name)'") }
            try tx.setPasswordHash(userID: id, hash)
            try tx.revokeTokens(userID: id)
        }
    }

    public func tokens(of name: String) async throws -> [TokenInfo] {
        let name = name.precomposedStringWithCanonicalMapping
        return try await read { tx in
            guard let id = try tx.userID(named: name) else { throw StoreError(.notFound, "no user '\(name)'") }
            return try tx.tokens(userID: id)
        }
    }

    public func revokeTokens(of name: String, id prefix: String?) async throws -> Int {
        let name = name.precomposedStringWithCanonicalMapping
        if let prefix {
            guard prefix.count >= 6, prefix.count <= 64, prefix.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw StoreError(.invalid, "a token id is 6 to 64 lowercase hex digits, as 'briefd user tokens' shows")
            }
        }
        return try await write { tx in
            guard let id = try tx.userID(named: name) else { throw StoreError(.notFound, "no user '\(name)'") }
            if let prefix {
                let live = try tx.tokens(userID: id).filter { !$0.revoked && $0.id.hasPrefix(prefix.prefix(12)) }
                guard live.count <= 1 || prefix.count > 12 else {
                    throw StoreError(.invalid, "\(live.count) tokens of \(name) start with \(prefix); give more digits")
                }
                return try tx.revokeTokens(userID: id, prefix: prefix)
            }
            let live = try tx.tokens(userID: id).filter { !$0.revoked }.count
            try tx.revokeTokens(userID: id)
            return live
        }
    }

    public func renameTeam(_ old: String, to new: String, now: Int64) async throws -> Int {
        let old = old.precomposedStringWithCanonicalMapping
        let new = try Self.identity(new, what: "the new team name")
        return try await write { tx in
            guard let id = try tx.teamID(named: old) else { throw StoreError(.notFound, "no team '\(old)'") }
            if let same = try tx.teamNames().first(where: {
                $0.precomposedStringWithCanonicalMapping.utf8.elementsEqual(new.utf8)
                    && !$0.utf8.elementsEqual(old.utf8)
            }) {
                throw StoreError(.exists, "a team named '\(same)' exists")
            }
            try tx.renameTeam(id: id, from: old, to: new)
            // Each briefing says which team it is in: a new version carries the new name to
            // every replica on its next pull.
            var seq = try Self.sequence(tx)
            var clock = HybridLogicalClock(replica: "server", last: try tx.meta(MetaKey.clock).flatMap(Stamp.init))
            let mutation = "rename-\(UUID().uuidString.lowercased())"
            let briefings = try tx.recordIDs(team: new, kind: .briefing)
            for recordID in briefings {
                guard let stored = try tx.record(id: recordID) else { continue }
                var delta = Record(id: recordID, kind: .briefing)
                delta.set(Briefing.Field.team, .string(new), at: clock.tick(wall: now))
                let merged = Record.merge(stored.record, delta)
                seq += 1
                try tx.saveRecord(merged, team: new, owner: stored.owner, seq: seq)
                try tx.insertVersion(
                    StoredVersion(
                        record: merged, seq: seq, userID: 0, mutation: mutation, received: now,
                        fields: [Briefing.Field.team]))
            }
            try tx.setMeta(MetaKey.seq, String(seq))
            try tx.setMeta(MetaKey.clock, clock.last.description)
            return briefings.count
        }
    }

    // MARK: Tokens

    public func addToken(hash: String, userID: Int64, now: Int64, expires: Int64) async throws {
        try await write { try $0.insertToken(hash: hash, userID: userID, now: now, expires: expires) }
    }

    public func user(tokenHash: String, now: Int64) async throws -> ServerUser? {
        try await read { try $0.user(tokenHash: tokenHash, now: now) }
    }

    public func caller(tokenHash: String, now: Int64) async throws -> (ServerUser, [Wire.Membership])? {
        try await read { tx in
            guard let user = try tx.user(tokenHash: tokenHash, now: now) else { return nil }
            return (user, try tx.memberships(userID: user.id))
        }
    }

    public func revokeToken(hash: String) async throws {
        try await write { try $0.revokeToken(hash: hash) }
    }

    /// One embedded server is the only writer: nothing comes from elsewhere.
    public func changesFromOtherServers() -> AsyncStream<[String]>? { nil }

    // MARK: Login limits

    public func admitLogin(_ rule: LoginRule, now: Int64) async throws -> Int64? {
        try await write { tx in try rule.admit(tx, now: now) }
    }

    public func loginSucceeded(_ rule: LoginRule) async throws {
        try await write { tx in try rule.succeeded(tx) }
    }

    // MARK: Sync

    public func push(_ mutations: [Mutation], epoch: String?, user: ServerUser, now: Int64) async throws
        -> PushOutcome
    {
        let mutations = mutations.map { EncodedMutation($0, now: now) }
        guard let groupCommit else {
            return try await write { tx in
                var current: Wire.Epoch? = nil
                try Self.checkEpoch(epoch, tx, &current)
                return try PushPipeline(tx: tx, user: user, now: now).run(mutations)
            }
        }
        return try await groupCommit.push(mutations, epoch: epoch, user: user, now: now) { jobs in
            try await self.write { tx in
                var results: [Result<PushOutcome, any Error>] = []
                var current: Wire.Epoch? = nil  // read once a round, by the first job naming one
                for job in jobs {
                    do {
                        try Self.checkEpoch(job.epoch, tx, &current)
                        results.append(
                            .success(
                                try tx.savepoint {
                                    try PushPipeline(tx: tx, user: job.user, now: job.now).run(job.mutations)
                                }))
                    } catch let error as StoreError {
                        // The storage failed (disk full, connection lost), not this push: the
                        // transaction may be gone, so the whole round fails and nothing of it is applied.
                        throw error
                    } catch {
                        results.append(.failure(error))
                    }
                }
                return results
            }
        }
    }

    /// Throws ``EpochMismatch`` when a push's bases come from an epoch other than the store's:
    /// inside the push's own transaction, so no restore can come between the check and the write.
    /// `current`: the store's epoch once read in this transaction.
    static func checkEpoch(_ expected: String?, _ tx: Transaction, _ current: inout Wire.Epoch?) throws {
        guard let expected else { return }
        let epoch = try current ?? epoch(tx)
        current = epoch
        guard expected.utf8.elementsEqual(epoch.epoch.utf8) else { throw EpochMismatch(current: epoch) }
    }

    public func pull(_ request: PullRequest) async throws -> PullPage {
        try await read { tx in
            let epoch = try Self.epoch(tx).epoch
            let same = request.epoch.map { $0.utf8.elementsEqual(epoch.utf8) } ?? true
            let seq = same ? request.after : 0
            let have = same ? request.have : Wire.SeqRanges()
            let (replica, userID, teams, limit) = (request.replica, request.userID, request.teams, request.limit)
            // This replica's committed mutations, but for the versions it holds.
            func acked(upTo: Int64) throws -> [String] {
                try tx.acked(replica: replica, userID: userID, after: seq, upTo: upTo).filter { !have.contains($0.seq) }
                    .map(\.id)
            }
            guard !teams.isEmpty else {
                return PullPage(
                    records: [], more: false, acked: try acked(upTo: .max), reached: seq, epoch: epoch,
                    total: request.total ? 0 : nil)
            }
            let rows = try tx.records(after: seq, teams: teams, limit: limit + 1)
            let more = rows.count > limit
            let page = Array(rows.prefix(limit))
            // Up to where this page reaches: the last record's seq, or everything if it is the last page.
            let upTo = more ? (page.last?.seq ?? seq) : Int64.max
            return PullPage(
                records: page.filter { !have.contains($0.seq) }, more: more, acked: try acked(upTo: upTo),
                reached: page.last?.seq ?? seq, epoch: epoch,
                total: request.total ? try tx.countRecords(after: seq, teams: teams) : nil)
        }
    }

    public func history(recordID: String) async throws -> (team: String, entries: [Wire.Version])? {
        try await read { tx in
            guard let placement = try tx.placement(ofRecord: recordID) else { return nil }
            return (placement.team, try tx.versions(recordID: recordID))
        }
    }
}
