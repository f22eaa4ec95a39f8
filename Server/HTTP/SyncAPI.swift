import BriefSyncModel
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The HTTP API of `briefd` (see `docs/protocol.md`).
struct SyncAPI: Sendable {
    let store: any SyncStore
    let now: @Sendable () -> Int64
    let limiter = LoginLimiter()
    let limits: ServerLimits

    func register(on router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in try json(["status": "ok"]) }
        router.post("/v1/login") { request, _ in try await login(request) }
        router.post("/v1/logout") { request, _ in try await logout(request) }
        router.get("/v1/me") { request, _ in try await me(request) }
        router.post("/v1/push") { request, _ in try await push(request) }
        router.get("/v1/pull") { request, _ in try await pull(request) }
        router.get("/v1/records/{id}/history") { request, context in
            try await history(request, id: context.parameters.get("id") ?? "")
        }
    }

    // MARK: Handlers

    func login(_ request: Request) async throws -> Response {
        let body = try await StrictJSON.decode(Wire.LoginRequest.self, from: collect(request), shape: StrictJSON.login)
        let t = now()
        if let wait = await limiter.retryAfter(body.user, now: t) {
            throw APIError.tooManyRequests("too many failed logins for '\(body.user)'; try again in \(wait / 1000 + 1) s")
        }
        guard let found = try await store.user(named: body.user), !found.user.disabled,
            PasswordHasher.verify(body.password, against: found.passwordHash)
        else {
            await limiter.failed(body.user, now: t)
            throw APIError.unauthorized("wrong user name or password (or the account is disabled)")
        }
        await limiter.succeeded(body.user)
        let token = BearerToken.make()
        try await store.addToken(hash: BearerToken.hash(token), userID: found.user.id, now: t, expires: t + limits.tokenLifetime)
        let teams = try await store.memberships(userID: found.user.id)
        return try json(Wire.LoginResponse(token: token, user: found.user.name, teams: teams, epoch: try await store.epoch()))
    }

    func logout(_ request: Request) async throws -> Response {
        _ = try await authenticate(request)
        try await store.revokeToken(hash: BearerToken.hash(bearer(request)!))
        return try json(["status": "logged out"])
    }

    func me(_ request: Request) async throws -> Response {
        let (user, memberships) = try await authenticate(request)
        return try json(Wire.LoginResponse(token: "", user: user.name, teams: memberships, epoch: try await store.epoch()))
    }

    func push(_ request: Request) async throws -> Response {
        let (user, _) = try await authenticate(request)
        let body = try await StrictJSON.decode(Wire.PushRequest.self, from: collect(request), shape: StrictJSON.push)
        guard body.mutations.count <= limits.maxBatch else {
            throw APIError.tooLarge("a push holds at most \(limits.maxBatch) mutations; this one has \(body.mutations.count): split it")
        }
        guard Set(body.mutations.map(\.id)).count == body.mutations.count else {
            throw APIError.badRequest("the batch repeats a mutation id; each mutation needs its own id")
        }
        if let bad = body.mutations.first(where: { $0.id.isEmpty || $0.replica.isEmpty || $0.delta.id.isEmpty }) {
            throw APIError.badRequest("mutation '\(bad.id)' needs a non-empty id, replica and record id")
        }
        let results = try await store.push(body.mutations, user: user, now: now())
        return try json(Wire.PushResponse(results: results))
    }

    func pull(_ request: Request) async throws -> Response {
        let (_, memberships) = try await authenticate(request)
        let query = request.uri.queryParameters
        let limit: Int
        if let l = query["limit"] {
            guard let n = Int(String(l)), (1...limits.maxPull).contains(n) else {
                throw APIError.badRequest("limit must be a whole number from 1 to \(limits.maxPull)")
            }
            limit = n
        } else {
            limit = limits.defaultPull
        }
        guard let replica = query["replica"].map(String.init), !replica.isEmpty else {
            throw APIError.badRequest("give the replica id: /v1/pull?replica=ID")
        }
        let epoch = try await store.epoch()
        var after: Int64 = 0
        if let cursor = query["cursor"].map(String.init), !cursor.isEmpty {
            let parts = cursor.split(separator: ".")
            guard parts.count == 2, let seq = Int64(parts[1]), seq >= 0 else {
                throw APIError.badRequest("cursor '\(cursor)' is not one this server gave out; pull without a cursor to start over")
            }
            // A cursor from another epoch means the server's history was reset: start over.
            after = parts[0] == epoch ? seq : 0
        }
        let page = try await store.pull(
            after: after, limit: limit, teams: Authorization.readableTeams(memberships), replica: replica)
        let next = page.records.last?.seq ?? after
        return try json(Wire.PullResponse(records: page.records, cursor: "\(epoch).\(next)", more: page.more, acked: page.acked))
    }

    func history(_ request: Request, id: String) async throws -> Response {
        let (_, memberships) = try await authenticate(request)
        guard let found = try await store.history(recordID: id) else { throw APIError.notFound("no such team or record") }
        try Authorization.check(memberships, team: found.team, action: .read)
        return try json(found.entries)
    }

    // MARK: Helpers

    func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return nil }
        return String(header.dropFirst(7))
    }

    /// The user behind the request's bearer token, with their memberships; 401 otherwise.
    func authenticate(_ request: Request) async throws -> (ServerUser, [Wire.Membership]) {
        guard let token = bearer(request) else {
            throw APIError.unauthorized("send 'Authorization: Bearer TOKEN'; get a token from /v1/login")
        }
        guard let user = try await store.user(tokenHash: BearerToken.hash(token), now: now()) else {
            throw APIError.unauthorized("the token is expired, revoked or unknown; log in again")
        }
        return (user, try await store.memberships(userID: user.id))
    }

    func collect(_ request: Request) async throws -> Data {
        do {
            let buffer = try await request.body.collect(upTo: limits.maxBody)
            return Data(buffer.readableBytesView)
        } catch {
            throw APIError.tooLarge("the body is over \(limits.maxBody) bytes; push fewer mutations at a time")
        }
    }
}

/// A JSON response with status 200.
func json<T: Encodable>(_ value: T) throws -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json; charset=utf-8"
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try WireJSON.data(value))))
}
