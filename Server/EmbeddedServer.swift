import BriefSyncModel
import Foundation
import Hummingbird
import Logging

/// A `briefd` running inside this process on a free loopback port, for `briefd demo` and tests.
public final class EmbeddedServer: Sendable {
    /// The port it listens on.
    public let port: Int
    /// The store behind it.
    public let store: any SyncStore
    private let task: Task<Void, any Error>

    /// `http://127.0.0.1:PORT`
    public var url: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, store: any SyncStore, task: Task<Void, any Error>) {
        self.port = port
        self.store = store
        self.task = task
    }

    /// Starts a server on `folder` and returns once it accepts connections.
    public static func start(
        folder: URL, limits: ServerLimits = ServerLimits(),
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
    ) async throws -> EmbeddedServer {
        try await startServing(store: try SQLiteSyncStore(folder: folder), limits: limits, now: now)
    }

    /// Serves an existing store.
    public static func startServing(
        store: any SyncStore, limits: ServerLimits = ServerLimits(),
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
    ) async throws -> EmbeddedServer {
        var logger = Logger(label: "briefd")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let service = SyncService(store: store, limits: limits, logger: logger, now: now)
        let app = BriefServer.application(service: service, port: 0, logger: logger) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw APIError.internal("the embedded server did not start") }
        return EmbeddedServer(port: port, store: store, task: task)
    }

    /// Adds a user with `password` and makes them `role` of `team` (created if missing).
    public func addMember(_ user: String, password: String, team: String, role: Wire.Role) async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        _ = try await store.addUser(name: user, passwordHash: try PasswordHasher.hash(password), now: now)
        if try await !store.teams().contains(where: { $0.name == team }) {
            try await store.addTeam(name: team, now: now)
        }
        try await store.setMember(team: team, user: user, role: role)
    }

    /// Stops serving, letting in-flight requests finish.
    public func stop() async {
        task.cancel()
        _ = await task.result
    }
}
