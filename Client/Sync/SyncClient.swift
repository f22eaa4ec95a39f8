import BriefSyncModel
import Foundation

/// What one `brief sync` did.
public struct SyncSummary: Sendable, Hashable, Codable {
    public var pushed: Int
    /// Pulled records that changed this replica (new records and others' changes; a change of
    /// this replica's coming back is not counted).
    public var pulled: Int
    public var merged: Int
    /// Each mutation the server refused (or that was set aside as too large), with its reason;
    /// `brief rejected` lists them all with their text.
    public var rejected: [Refusal]
    /// One line per open conflict this sync brought in.
    public var conflicts: [String]
    /// What healing a restored server did, when this sync met one (`nil` otherwise).
    public var restored: String? = nil

    /// A change the server refused: kept in the replica's `rejected` table.
    public struct Refusal: Sendable, Hashable, Codable, CustomStringConvertible {
        /// The record's full id.
        public var id: String
        /// `briefing`, `annotation` or `conflict`.
        public var kind: String
        /// The mutation's id (`brief rejected retry` and `drop` take a prefix of it).
        public var mutation: String
        public var reason: String

        init(_ mutation: Mutation, reason: String) {
            id = mutation.delta.id
            kind = mutation.delta.kind.rawValue
            self.mutation = mutation.id
            self.reason = reason
        }

        /// `kind shortid: reason`, as `brief sync` prints it.
        public var description: String { "\(kind) \(Identifier.short(id)): \(reason)" }
    }
}

/// Talks to a `briefd` server for one replica: login, logout, sync.
///
/// Sync pushes the outbox in batches, then pulls pages until there are no more. Each push answer
/// and each pulled page is applied in one local transaction, so an interrupted sync loses nothing
/// and the next one finishes the job: replayed pushes get their first answer again.
public struct SyncClient: Sendable {
    public let replica: Replica
    public let transport: any SyncTransport
    public var batchSize = 200
    public var pageSize = 500
    /// Called after each pulled page with the records pulled so far and, when the server told,
    /// how many there were to pull when the sync began.
    public var progress: (@Sendable (_ pulled: Int, _ total: Int?) -> Void)? = nil

    public init(replica: Replica, transport: any SyncTransport) {
        self.replica = replica
        self.transport = transport
    }

    /// Logs in and stores the token (0600). With no `team`, a user in exactly one team gets it.
    @discardableResult
    public func login(user: String, password: String, team: String?) async throws -> Wire.LoginResponse {
        let body = try WireJSON.data(Wire.LoginRequest(user: user, password: password))
        let answer: Wire.LoginResponse = try await call("POST", "/v1/login", body: body, token: nil)
        var chosen = team
        if let team {
            guard answer.teams.contains(where: { $0.team == team }) else {
                let mine = answer.teams.map(\.team).joined(separator: ", ")
                throw ClientError(
                    .forbidden, "\(user) is not a member of team '\(team)' (member of: \(mine.isEmpty ? "none" : mine))"
                )
            }
        } else if answer.teams.count == 1 {
            chosen = answer.teams[0].team
        }
        try adoptSession(
            user: answer.user, team: chosen, token: answer.token, memberOf: Set(answer.teams.map(\.team)),
            lineage: answer.lineage)
        await flushRevocations()
        return answer
    }

    /// Stores a session as `login` does once the server has answered (also used by simulations
    /// that make tokens directly, to skip the deliberately slow password hash).
    /// - Parameter memberOf: the teams the user belongs to (default: just `chosen`); briefings
    ///   the server never had whose team is not among them get `chosen`.
    /// - Parameter lineage: the server's epoch and its ancestors: the replica's epoch if it has
    ///   none yet, or if the server is another one (a new address of the same server, or of one
    ///   restored from it, keeps the replica's epoch, so the next sync heals if it must).
    package func adoptSession(
        user: String, team chosen: String?, token: String, memberOf: Set<String>? = nil, lineage: Wire.Epoch? = nil
    ) throws {
        if let old = Credentials.load(home: replica.home), old.token != token {
            // The previous session's token is revoked later, never silently forgotten.
            try PendingRevocations.add(server: old.server, token: old.token, home: replica.home)
        }
        try Credentials(server: transport.server, user: user, team: chosen, token: token).save(home: replica.home)
        let previous = try replica.syncMeta("server")
        var meta: [String: String?] = ["server": transport.server, "user": user, "name": user, "team": chosen]
        let mine = try replica.epoch()
        if previous != transport.server {
            meta["cursor"] = nil
            if let mine, let lineage, lineage.sharedUpTo(mine) > 0 {
                // The same server's history under another address: keep positions' epoch.
            } else {
                if mine != nil, lineage != nil {
                    // Another server: the old one's version numbers mean nothing here.
                    try replica.forgetServerPositions()
                }
                meta["epoch"] = lineage?.epoch
            }
        } else if mine == nil {
            meta["epoch"] = lineage?.epoch
        }
        try replica.setSyncMeta(meta)
        if let chosen { _ = try replica.adoptTeam(chosen, memberOf: memberOf ?? [chosen]) }
    }

    /// Revokes the token on the server and forgets it locally.
    ///
    /// The token is first moved to `revoke-pending.json` (0600) and leaves it only once the
    /// server confirms; when the server cannot be reached it stays there, this throws
    /// ``ClientError/Code/serverUnreachable``, and the next `logout` or `login` revokes it.
    public func logout() async throws {
        guard let credentials = Credentials.load(home: replica.home) else {
            let pending = PendingRevocations.load(home: replica.home).count
            guard pending > 0 else { throw ClientError(.notLoggedIn, "not logged in; nothing to do") }
            await flushRevocations()
            let left = PendingRevocations.load(home: replica.home).count
            guard left == 0 else {
                throw ClientError(
                    .serverUnreachable,
                    "not logged in, but \(left) earlier token(s) could not be revoked yet (server unreachable); run 'brief logout' again later"
                )
            }
            return
        }
        try PendingRevocations.add(server: credentials.server, token: credentials.token, home: replica.home)
        Credentials.remove(home: replica.home)
        await flushRevocations()
        if PendingRevocations.load(home: replica.home).contains(where: { $0.token == credentials.token }) {
            throw ClientError(
                .serverUnreachable,
                "logged out here, but \(credentials.server) could not be reached to revoke the token; it is kept (mode 0600) and revoked by the next 'brief logout' or 'brief login' that reaches the server"
            )
        }
    }

    /// Tries to revoke every token waiting in `revoke-pending.json`; keeps those it could not.
    func flushRevocations() async {
        for pending in PendingRevocations.load(home: replica.home) {
            let transport =
                pending.server == self.transport.server ? self.transport : syncTransport(for: pending.server)
            guard
                let (status, _) = try? await transport.send(
                    method: "POST", path: "/v1/logout", query: [:], body: Data("{}".utf8), token: pending.token)
            else { continue }
            // 200: revoked now; 401: already expired, revoked or unknown. Either way it is dead.
            if status == 200 || status == 401 {
                try? PendingRevocations.remove(token: pending.token, home: replica.home)
            }
        }
    }

    /// The server's history of record `id` (any prefix), cached locally for `brief log` offline.
    public func fetchHistory(_ id: String) async throws {
        let credentials = try credentials()
        let full = try replica.fullID(id)
        let versions: [Wire.Version] = try await call(
            "GET", "/v1/records/\(full)/history", body: nil, token: credentials.token)
        try replica.cacheHistory(versions)
    }

    /// Pushes the outbox, then pulls every change since the last sync.
    public func sync() async throws -> SyncSummary {
        let credentials = try credentials()
        do {
            let (summary, recorded) = try await run(token: credentials.token)
            if !recorded { try replica.setSyncMeta(Self.finished(at: replica.now())) }
            return summary
        } catch let error as ClientError {
            try? replica.setSyncMeta(["last_error": error.message])
            throw error
        }
    }

    /// What a finished sync records: its time (`brief status`), and no error.
    static func finished(at now: Int64) -> [String: String?] {
        ["last_sync": String(now), "last_error": nil]
    }

    /// Pushes, then pulls; `recorded`: the last page's transaction also recorded the sync's end.
    private func run(token: String) async throws -> (summary: SyncSummary, recorded: Bool) {
        var summary = SyncSummary(pushed: 0, pulled: 0, merged: 0, rejected: [], conflicts: [])
        var ours = Set<String>()
        if try replica.isHealing() { try await healPull(token: token, summary: &summary) }
        // A restore met half-way (or again) starts the heal over; a third in one sync is a
        // server being restored in a loop, and the next sync carries on.
        for attempt in 0..<3 {
            // Versions this sync's push answers gave whole (of this epoch: a heal starts over).
            var held: [Int64] = []
            do {
                try await pushAll(token: token, summary: &summary, ours: &ours, held: &held)
                try await pullAll(token: token, summary: &summary, ours: ours, have: Wire.SeqRanges(held))
                return (summary, true)
            } catch let error as ClientError where error.code == .epochChanged && attempt < 2 {
                let me: Wire.LoginResponse = try await call("GET", "/v1/me", body: nil, token: token)
                _ = try replica.startHeal(to: me.lineage, roles: me.teams)
                try await healPull(token: token, summary: &summary)
            }
        }
        return (summary, false)
    }

    private func pushAll(
        token: String, summary: inout SyncSummary, ours: inout Set<String>, held: inout [Int64]
    ) async throws {
        var limit = batchSize
        while true {
            let (batch, setAside) = try replica.nextBatch(limit: limit, maxBytes: Wire.Limits.maxBody - 1024)
            summary.rejected += setAside
            if batch.isEmpty { break }
            let answer: Wire.PushResponse
            do {
                answer = try await call(
                    "POST", "/v1/push",
                    body: try WireJSON.data(Wire.PushRequest(mutations: batch, epoch: try replica.epoch())),
                    token: token)
            } catch let error as ClientError where error.code == .tooLarge {
                // The server takes less than we thought: smaller batches, and a single change it
                // will never take moves aside instead of blocking the rest.
                if batch.count > 1 {
                    limit = max(1, batch.count / 2)
                } else {
                    summary.rejected.append(try replica.setAside(batch[0], reason: error.message))
                }
                continue
            }
            let (applied, rejected, known) = try replica.recordPushResults(answer.results, sent: batch)
            held += known
            ours.formUnion(batch.map(\.delta.id))
            summary.pushed += applied
            summary.rejected += rejected
            if applied + rejected.count == 0 { break }
        }
    }

    /// - Parameter have: versions this replica already holds (from this sync's push answers):
    ///   the server leaves them out.
    /// One request; maps transport failures and error answers to messages a person can act on.
    func call<T: Decodable>(
        _ method: String, _ path: String, query: [String: String] = [:], body: Data?, token: String?
    ) async throws -> T {
        try await call(method, path, query: query, body: body, token: token) { try WireJSON.decode(T.self, from: $0) }
    }

    /// One request whose successful answer `decode` reads.
    func call<T>(
        _ method: String, _ path: String, query: [String: String] = [:], body: Data?, token: String?,
        decode: (Data) throws -> T
    ) async throws -> T {
        let status: Int
        let data: Data
        do {
            (status, data) = try await transport.send(
                method: method, path: path, query: query, body: body, token: token)
        } catch let error as ClientError {
            throw error
        } catch {
            let pending = (try? replica.status().pending) ?? 0
            throw ClientError(
                .serverUnreachable,
                "cannot reach \(transport.server) (\((error as? TransportError)?.description ?? error.localizedDescription)); \(pending) change(s) stay queued, run 'brief sync' again later"
            )
        }
        if (200..<300).contains(status) {
            do {
                return try decode(data)
            } catch {
                // Most likely an answer cut short by the network; retrying is safe.
                let pending = (try? replica.status().pending) ?? 0
                throw ClientError(
                    .serverUnreachable,
                    "the answer from \(transport.server) was incomplete or unreadable (HTTP \(status), \(data.count) bytes); \(pending) change(s) stay queued, run 'brief sync' again"
                )
            }
        }
        let message = (try? WireJSON.decode(Wire.ErrorBody.self, from: data))?.message ?? "HTTP \(status)"
        switch status {
        case 401:
            throw ClientError(.unauthorized, "\(message); run 'brief login' again")
        case 400:
            throw ClientError(.invalidArgument, "the server refused it: \(message)")
        case 403:
            throw ClientError(.forbidden, message)
        case 404:
            throw ClientError(.notFound, message)
        case 413:
            throw ClientError(.tooLarge, "the server refused it as too large: \(message)")
        case 409 where (try? WireJSON.decode(Wire.ErrorBody.self, from: data))?.error == Wire.ErrorCode.epochChanged:
            throw ClientError(.epochChanged, message)
        default:
            throw ClientError(.server, "the server refused the request (\(status)): \(message)")
        }
    }
}
