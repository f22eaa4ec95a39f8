import BriefSyncModel
import Foundation

/// The sync API as plain functions of (method, path, query, body, token): the Hummingbird routes
/// and the in-process transport both call ``handle(method:path:query:body:token:)``, so every
/// request takes the same path through authentication, decoding and authorization.
public struct SyncService: Sendable {
    let store: any SyncStore
    let now: @Sendable () -> Int64
    let hashes = HashGate(permits: 2)
    let limits: ServerLimits
    /// Scheduled backups' last outcome, shown by `/healthz` (`nil`: none scheduled).
    let backups: BackupStatus?

    public init(
        store: any SyncStore, limits: ServerLimits = ServerLimits(), backups: BackupStatus? = nil,
        now: @escaping @Sendable () -> Int64
    ) {
        self.store = store
        self.limits = limits
        self.backups = backups
        self.now = now
    }

    /// The `/healthz` answer.
    struct Health: Codable {
        var status = "ok"
        var backup: BackupStatus.Report?
    }

    /// One answer: status, JSON body, and for a 429 the seconds to wait (`Retry-After`).
    public struct Answer: Sendable {
        public var status: Int
        public var body: Data
        public var retryAfter: Int?
        public var allow: [String]? = nil
    }

    /// Answers one request: status and JSON body (an ``APIError`` body for every 4xx/5xx).
    /// `client` is the caller's address, for rate limits (`nil` in process).
    public func handle(
        method: String, path: String, query: [String: String], body: Data, token: String?, client: String? = nil
    ) async -> Answer {
        do {
            let data = try await route(
                method: method, path: path, query: query, body: body, token: token, client: client ?? "local")
            return Answer(status: 200, body: data)
        } catch let error as APIError {
            return Answer(
                status: Int(error.status.code), body: error.body, retryAfter: error.retryAfter, allow: error.allow)
        } catch let error as StoreError {
            let api = Self.apiError(error)
            return Answer(status: Int(api.status.code), body: api.body)
        } catch {
            return Answer(
                status: 500, body: APIError.internal("the server failed to handle the request; it was not applied").body
            )
        }
    }

    /// The one mapping of store errors to HTTP.
    static func apiError(_ error: StoreError) -> APIError {
        switch error.code {
        case .invalid: return .badRequest(error.message)
        case .exists: return .conflict(error.message)
        case .notFound: return .notFound(error.message)
        case .full: return .insufficientStorage("the server's disk is full; nothing was applied, try again later")
        default: return .unavailable("the server's storage failed; nothing was applied, try again later")
        }
    }

    func route(
        method: String, path: String, query: [String: String], body: Data, token: String?, client: String
    ) async throws -> Data {
        let p = path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        switch (method, p.count) {
        case ("GET", 1) where p[0] == "healthz": return try WireJSON.data(Health(backup: await backups?.report))
        case ("GET", 1) where p[0] == "readyz":
            // Ready when the database answers: a storage failure is a 503 like any other.
            _ = try await store.epoch()
            return try WireJSON.data(["status": "ready"])
        case ("POST", 2) where p == ["v1", "login"]: return try await login(body, client: client)
        case ("POST", 2) where p == ["v1", "logout"]: return try await logout(token)
        case ("GET", 2) where p == ["v1", "me"]: return try await me(token)
        case ("POST", 2) where p == ["v1", "push"]: return try await push(body, token: token)
        case ("GET", 2) where p == ["v1", "pull"]: return try await pull(query, token: token)
        case ("GET", 4) where p[0] == "v1" && p[1] == "records" && p[3] == "history":
            return try await history(p[2], token: token)
        case ("PUT", 5) where p[0] == "v1" && p[1] == "teams" && p[3] == "members":
            return try await setMember(p[2], p[4], body, token: token)
        case ("DELETE", 5) where p[0] == "v1" && p[1] == "teams" && p[3] == "members":
            return try await removeMember(p[2], p[4], token: token)
        default:
            if let allowed = Self.allowedMethods(p) {
                throw APIError.methodNotAllowed(
                    "\(path) does not take \(method); use \(allowed.joined(separator: " or "))", allow: allowed)
            }
            throw APIError.notFound("no such endpoint: \(method) \(path)")
        }
    }

    /// The methods a known path takes, or `nil` for an unknown path.
    static func allowedMethods(_ p: [String]) -> [String]? {
        switch p.count {
        case 1 where p[0] == "healthz" || p[0] == "readyz": return ["GET"]
        case 2 where p[0] == "v1":
            switch p[1] {
            case "login", "logout", "push": return ["POST"]
            case "me", "pull": return ["GET"]
            default: return nil
            }
        case 4 where p[0] == "v1" && p[1] == "records" && p[3] == "history": return ["GET"]
        case 5 where p[0] == "v1" && p[1] == "teams" && p[3] == "members": return ["PUT", "DELETE"]
        default: return nil
        }
    }

    /// The methods the HTTP router hands to ``handle``: those the API uses, and the other common
    /// ones so that a wrong method on a known path gets a 405 with `Allow`.
    static let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"]

    // MARK: Authentication

    /// The user behind the bearer token, with their memberships; 401 otherwise.
    func authenticate(_ token: String?) async throws -> (ServerUser, [Wire.Membership]) {
        guard let token else {
            throw APIError.unauthorized("send 'Authorization: Bearer TOKEN'; get a token from /v1/login")
        }
        guard let user = try await store.user(tokenHash: BearerToken.hash(token), now: now()) else {
            throw APIError.unauthorized("the token is expired, revoked or unknown; log in again")
        }
        return (user, try await store.memberships(userID: user.id))
    }

    func login(_ data: Data, client: String) async throws -> Data {
        let body = try StrictJSON.decode(Wire.LoginRequest.self, from: data, shape: StrictJSON.login)
        if let problem = Wire.Validation.nameProblem(body.user, what: "the user name") {
            throw APIError.badRequest(problem)
        }
        // Names are stored in NFC: a name typed on a system that sends NFD finds the same account.
        let name = body.user.precomposedStringWithCanonicalMapping
        let t = now()
        let rule = LoginRule(user: name, address: client)
        if let wait = try await store.admitLogin(rule, now: t) {
            let seconds = Int(wait / 1000) + 1
            throw APIError.tooManyRequests(
                "too many login attempts for '\(name)' from this address; try again in \(seconds) s",
                retryAfter: seconds)
        }
        let found = try await store.user(named: name)
        let password = body.password
        // Unknown users cost a hash too, so timing does not tell which names exist.
        let stored = found?.passwordHash ?? PasswordHasher.decoy
        let valid = await hashes.run { PasswordHasher.verify(password, against: stored) } && found != nil
        guard let found, !found.user.disabled, valid else {
            throw APIError.unauthorized("wrong user name or password (or the account is disabled)")
        }
        try await store.loginSucceeded(rule)
        let token = BearerToken.make()
        try await store.addToken(
            hash: BearerToken.hash(token), userID: found.user.id, now: t, expires: t + limits.tokenLifetime)
        let teams = try await store.memberships(userID: found.user.id)
        let epoch = try await store.epoch()
        return try WireJSON.data(
            Wire.LoginResponse(
                token: token, user: found.user.name, teams: teams, epoch: epoch.epoch, ancestors: epoch.ancestors))
    }

    func logout(_ token: String?) async throws -> Data {
        _ = try await authenticate(token)
        try await store.revokeToken(hash: BearerToken.hash(token!))
        return try WireJSON.data(["status": "logged out"])
    }

    func me(_ token: String?) async throws -> Data {
        let (user, memberships) = try await authenticate(token)
        let epoch = try await store.epoch()
        return try WireJSON.data(
            Wire.LoginResponse(
                token: "", user: user.name, teams: memberships, epoch: epoch.epoch, ancestors: epoch.ancestors))
    }
}
