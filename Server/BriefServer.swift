import BriefSyncModel
import Foundation
import Hummingbird
import Logging

/// Limits on what one request may ask for.
public struct ServerLimits: Sendable {
    /// Largest request body, in bytes.
    public var maxBody = 4 * 1024 * 1024
    /// Most mutations in one push.
    public var maxBatch = 500
    /// Largest `limit` a pull may ask for, and the default.
    public var maxPull = 1000
    public var defaultPull = 200
    /// How long a token lives, in milliseconds.
    public var tokenLifetime: Int64 = 90 * 24 * 3600 * 1000

    public init() {}
}

/// Builds the `briefd` HTTP application.
public enum BriefServer {
    /// An application serving `store` on `host:port` (port 0 picks a free one; `onRunning` gets it).
    public static func application(
        store: any SyncStore, host: String = "127.0.0.1", port: Int = 8080, limits: ServerLimits = ServerLimits(),
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) },
        logger: Logger = Logger(label: "briefd"), onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        SyncAPI(store: store, now: now, limits: limits).register(on: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "briefd"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
