import BriefSyncClient
import BriefSyncModel
import BriefSyncServer
import Foundation
import TestSupport

/// A real briefd on loopback (in-process) with a team, and helpers to make replicas against it.
struct Harness {
    let dir: TemporaryDirectory
    let server: EmbeddedServer
    let stored: TestStore
    static let password = "correct horse battery"

    static func start(_ backend: TestBackend = .sqlite, limits: ServerLimits = ServerLimits()) async throws -> Harness {
        let dir = TemporaryDirectory("sync")
        let stored = try await backend.makeStore(folder: dir.file("server"))
        let server = try await EmbeddedServer.startServing(store: stored.store, limits: limits)
        return Harness(dir: dir, server: server, stored: stored)
    }

    /// A SQLite server on another data folder (a restored one), in place of `h`'s.
    static func restarted(_ h: Harness, folder: URL) async throws -> Harness {
        let store = try SQLiteSyncStore(folder: folder)
        return Harness(
            dir: h.dir, server: try await EmbeddedServer.startServing(store: store),
            stored: TestStore(store: store, postgres: nil))
    }

    /// A second server on the same database (PostgreSQL), as a second `briefd` behind a load
    /// balancer would run.
    func secondServer(limits: ServerLimits = ServerLimits()) async throws -> EmbeddedServer {
        try await EmbeddedServer.startServing(store: try await stored.another(), limits: limits)
    }

    func stop() async {
        await server.stop()
        await stored.drop()
        dir.remove()
    }

    func replica(_ user: String, team: String? = "analysts") async throws -> (Replica, SyncClient) {
        let r = try Replica.create(home: dir.file("replica-\(user)-\(UUID().uuidString.prefix(4))"), name: user)
        let c = SyncClient(replica: r, transport: syncTransport(for: server.url))
        try await c.login(user: user, password: Harness.password, team: team)
        return (r, c)
    }

    var transport: CurlTransport { CurlTransport(server: server.url) }

    /// Gives each (user, team, role): the user is made on first mention (password
    /// ``password``), the team when missing.
    func members(_ list: [(String, String, Wire.Role)]) async throws {
        for (user, team, role) in list {
            if try await server.store.user(named: user) == nil {
                try await server.addMember(user, password: Harness.password, team: team, role: role)
            } else {
                if try await !server.store.teams().contains(where: { $0.name == team }) {
                    try await server.store.addTeam(name: team, now: 0)
                }
                try await server.store.setMember(team: team, user: user, role: role)
            }
        }
    }

    /// Logs in over HTTP and returns the token.
    func token(_ user: String) async throws -> String {
        let body = try WireJSON.data(Wire.LoginRequest(user: user, password: Harness.password))
        let (status, data) = try await transport.send(
            method: "POST", path: "/v1/login", query: [:], body: body, token: nil)
        precondition(status == 200, "login failed: \(String(decoding: data, as: UTF8.self))")
        return try WireJSON.decode(Wire.LoginResponse.self, from: data).token
    }

    func send(_ method: String, _ path: String, _ body: String?, token: String?, query: [String: String] = [:])
        async throws -> (Int, Wire.ErrorBody?, Data)
    {
        let (status, data) = try await transport.send(
            method: method, path: path, query: query, body: body.map { Data($0.utf8) }, token: token)
        return (status, try? WireJSON.decode(Wire.ErrorBody.self, from: data), data)
    }
}

/// A transport that fails every request after the first `limit`, like a network that drops.
final class DroppingTransport: SyncTransport, @unchecked Sendable {
    let inner: CurlTransport
    let lock = NSLock()
    var remaining: Int
    /// When true, the request is sent and its answer thrown away (a lost response).
    let loseResponses: Bool

    init(_ inner: CurlTransport, allow: Int, loseResponses: Bool = false) {
        self.inner = inner
        remaining = allow
        self.loseResponses = loseResponses
    }

    var server: String { inner.server }

    func send(method: String, path: String, query: [String: String], body: Data?, token: String?) async throws -> (
        status: Int, body: Data
    ) {
        let allowed = lock.withLock { () -> Bool in
            remaining -= 1
            return remaining >= 0
        }
        if allowed { return try await inner.send(method: method, path: path, query: query, body: body, token: token) }
        if loseResponses {
            _ = try await inner.send(method: method, path: path, query: query, body: body, token: token)
        }
        throw URLError(.networkConnectionLost)
    }
}
