import BriefSyncModel
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Limits on what one request may ask for.
public struct ServerLimits: Sendable {
    /// Largest request body, in bytes.
    public var maxBody = Wire.Limits.maxBody
    /// Most mutations in one push.
    public var maxBatch = 500
    /// Largest `limit` a pull may ask for, and the default.
    public var maxPull = 1000
    public var defaultPull = 200
    /// Seconds a connection may sit idle, or half-way through a request, before it is closed.
    public var idleTimeout: Int64 = 30
    /// Time between heartbeats on `/v1/events` (each also re-checks the caller).
    public var heartbeat: Duration = .seconds(15)
    /// How long a token lives, in milliseconds.
    public var tokenLifetime: Int64 = 90 * 24 * 3600 * 1000

    public init() {}
}

/// Builds the `briefd` HTTP application: the routes of ``router(service:)`` on a socket.
public enum BriefServer {
    /// An application serving `service` on `host:port` (port 0 picks a free one; `onRunning` gets it).
    public static func application(
        service: SyncService, host: String = "127.0.0.1", port: Int = 8080, logger: Logger = Logger(label: "briefd"),
        trustProxy: Bool = false, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var access = logger
        access[metadataKey: "component"] = "access"
        let router = router(service: service, logger: access, trustProxy: trustProxy)
        return Application(
            router: router,
            // A client that stops half-way through a request is dropped instead of held for ever.
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [ParserErrorBody()],
                    idleTimeout: .seconds(service.limits.idleTimeout))),
            configuration: .init(address: .hostname(host, port: port), serverName: "briefd"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}

extension BriefServer {
    /// A failure to start listening, in words an admin can act on; `nil` for any other error.
    public static func listenProblem(_ error: any Error, host: String, port: Int) -> String? {
        guard let io = error as? IOError else { return nil }
        switch io.errnoCode {
        case EADDRINUSE:
            return
                "port \(port) on \(host) is already in use (another briefd, or another server); stop it or choose another --port"
        case EACCES:
            return
                "not allowed to listen on port \(port) (ports below 1024 need privileges); choose --port 1024 or above, or put a proxy in front"
        case EADDRNOTAVAIL:
            return "\(host) is not an address of this machine; check --host"
        default:
            return nil
        }
    }
}
