import BriefSyncModel
import Foundation
import Logging

/// The sync API as plain functions of a request's parts and its authenticated ``Caller``. The
/// Hummingbird routes (``BriefServer/router(service:logger:trustProxy:)``) call them after ``AuthMiddleware``; the
/// in-process transport goes through the same router, so every request takes the same path
/// through authentication, decoding and authorization.
public struct SyncService: Sendable {
    let store: any SyncStore
    let now: @Sendable () -> Int64
    let hashes = HashGate(permits: 2)
    let limits: ServerLimits
    /// Scheduled backups' last outcome, shown by `/healthz` (`nil`: none scheduled).
    let backups: BackupStatus?
    /// Counters for `/metrics` (`nil`: none kept).
    let metrics: ServerMetrics?
    /// Change notifications for `/v1/events`.
    public let events = EventHub()
    /// Failed logins and other events worth an admin's eye.
    let logger: Logger

    public init(
        store: any SyncStore, limits: ServerLimits = ServerLimits(), backups: BackupStatus? = nil,
        metrics: ServerMetrics? = ServerMetrics(), logger: Logger = Logger(label: "briefd"),
        now: @escaping @Sendable () -> Int64
    ) {
        self.store = store
        self.limits = limits
        self.backups = backups
        self.metrics = metrics
        self.logger = logger
        self.now = now
        if let feed = store.changesFromOtherServers() {
            let events = self.events
            Task {
                for await teams in feed { await events.poke(teams) }
            }
        }
    }

    /// The `/healthz` answer.
    struct Health: Codable {
        var status = "ok"
        var backup: BackupStatus.Report?
    }

    /// The one mapping of store errors to HTTP.
    static func apiError(_ error: StoreError) -> APIError {
        switch error.code {
        case .invalid: return .badRequest(error.message)
        case .exists, .lastOwner: return .conflict(error.message)
        case .notFound: return .notFound(error.message)
        case .full: return .insufficientStorage("the server's disk is full; nothing was applied, try again later")
        default: return .unavailable("the server's storage failed; nothing was applied, try again later")
        }
    }

    /// The Prometheus exposition, with the store's gauges read now.
    func metricsText() async throws -> Data {
        guard let metrics else { throw APIError.notFound("this server keeps no metrics") }
        metrics.set(stats: try await store.stats(), lastBackup: await backups?.report.lastSuccess)
        metrics.openStreams.set(Double(await events.count))
        return metrics.exposition()
    }

    func health() async throws -> Data { try WireJSON.data(Health(backup: await backups?.report)) }

    /// Ready when the database answers: a storage failure is a 503 like any other.
    func ready() async throws -> Data {
        _ = try await store.epoch()
        return try WireJSON.data(["status": "ready"])
    }

    // MARK: Authentication

    /// The user behind the bearer token, with their memberships; 401 otherwise. The one
    /// authentication check: ``AuthMiddleware`` calls it for every endpoint that needs a token.
    func authenticate(_ token: String?) async throws -> Caller {
        guard let token else {
            throw APIError.unauthorized("send 'Authorization: Bearer TOKEN'; get a token from /v1/login")
        }
        let hash = BearerToken.hash(token)
        guard let (user, memberships) = try await store.caller(tokenHash: hash, now: now()) else {
            throw APIError.unauthorized("the token is expired, revoked or unknown; log in again")
        }
        return Caller(user: user, memberships: memberships, tokenHash: hash)
    }

    func login(_ data: Data, client: String) async throws -> Data {
        let body = try StrictJSON.decode(Wire.LoginRequest.self, from: data, shape: StrictJSON.login)
        if let problem = Wire.Validation.nameProblem(body.user, what: "the user name") {
            throw APIError.badRequest(problem)
        }
        // Names are stored in NFC: a name typed on a system that sends NFD finds the same account.
        let user = try await checkPassword(
            body.password, of: body.user.precomposedStringWithCanonicalMapping, client: client)
        return try await newSession(for: user)
    }

    /// The account `name` if `password` is its password; 401 otherwise, 429 past the login limit.
    /// Every password check goes through here: login and password change count alike.
    func checkPassword(_ password: String, of name: String, client: String) async throws -> ServerUser {
        let rule = LoginRule(user: name, address: client)
        if let wait = try await store.admitLogin(rule, now: now()) {
            let seconds = Int(wait / 1000) + 1
            metrics?.failedLogins.increment()
            logger.notice(
                "login refused", metadata: ["user": .string(name), "client": .string(client), "reason": "rate limited"])
            throw APIError.tooManyRequests(
                "too many login attempts for '\(name)' from this address; try again in \(seconds) s",
                retryAfter: seconds)
        }
        let found = try await store.user(named: name)
        // Unknown users cost a hash too, so timing does not tell which names exist.
        let stored = found?.passwordHash ?? PasswordHasher.decoy
        let valid = await hashes.run { PasswordHasher.verify(password, against: stored) } && found != nil
        guard let found, !found.user.disabled, valid else {
            metrics?.failedLogins.increment()
            logger.notice(
                "login refused",
                metadata: [
                    "user": .string(name), "client": .string(client),
                    "reason": .string(
                        found == nil ? "unknown user" : found!.user.disabled ? "disabled" : "wrong password"),
                ])
            throw APIError.unauthorized("wrong user name or password (or the account is disabled)")
        }
        try await store.loginSucceeded(rule)
        return found.user
    }

    /// A new token for `user`, with what a client needs to sync.
    func newSession(for user: ServerUser) async throws -> Data {
        let t = now()
        let token = BearerToken.make()
        try await store.addToken(
            hash: BearerToken.hash(token), userID: user.id, now: t, expires: t + limits.tokenLifetime)
        let teams = try await store.memberships(userID: user.id)
        let epoch = try await store.epoch()
        return try WireJSON.data(
            Wire.LoginResponse(
                token: token, user: user.name, teams: teams, epoch: epoch.epoch, ancestors: epoch.ancestors))
    }

    /// `POST /v1/password`: the current password is checked as a login is (a stolen token alone
    /// cannot change it); every token is revoked and the answer carries a new one.
    func changePassword(_ data: Data, caller: Caller, client: String) async throws -> Data {
        let body = try StrictJSON.decode(Wire.PasswordChange.self, from: data, shape: StrictJSON.password)
        if let problem = Wire.Validation.passwordProblem(body.new) {
            throw APIError.badRequest(problem + "; nothing was changed")
        }
        guard body.current.utf8.count <= Wire.Validation.maxPasswordBytes else {
            throw APIError.unauthorized("wrong user name or password (or the account is disabled)")
        }
        let user = try await checkPassword(body.current, of: caller.user.name, client: client)
        let newPassword = body.new
        let hash = try await hashes.run { try PasswordHasher.hash(newPassword) }
        try await store.setPassword(user.name, hash: hash)
        await events.recheck()
        logger.notice("password changed", metadata: ["user": .string(user.name), "client": .string(client)])
        return try await newSession(for: user)
    }

    func logout(_ caller: Caller) async throws -> Data {
        try await store.revokeToken(hash: caller.tokenHash)
        await events.recheck()
        return try WireJSON.data(["status": "logged out"])
    }

    func me(_ caller: Caller) async throws -> Data {
        let epoch = try await store.epoch()
        return try WireJSON.data(
            Wire.LoginResponse(
                token: "", user: caller.user.name, teams: caller.memberships, epoch: epoch.epoch,
                ancestors: epoch.ancestors))
    }
}
