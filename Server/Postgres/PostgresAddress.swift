import BriefSyncServer
import Foundation
import PostgresNIO

/// A `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]` address.
public struct PostgresAddress: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: String

    /// Parses an address; throws ``StoreError`` (`invalid`) naming what is wrong.
    public init(_ text: String) throws {
        func bad(_ what: String) -> StoreError {
            StoreError(
                .invalid,
                "the database address \(what); write it as postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        }
        guard let url = URLComponents(string: text), ["postgres", "postgresql"].contains(url.scheme ?? "") else {
            throw bad("does not start with postgres://")
        }
        guard let host = url.host, !host.isEmpty else { throw bad("has no host") }
        guard let user = url.user, !user.isEmpty else { throw bad("has no user") }
        let database = String(url.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw bad("has no database name after the host") }
        let mode = url.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
        guard ["disable", "prefer", "require"].contains(mode) else {
            throw bad("has sslmode=\(mode.prefix(20)) (use disable, prefer or require)")
        }
        self.host = host
        self.port = url.port ?? 5432
        self.user = user
        self.password = url.password
        self.database = database
        self.sslMode = mode
    }

    /// The address without its password, for logs and messages.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    var configuration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "require": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        var config = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        config.options.connectTimeout = .seconds(5)
        config.options.maximumConnections = 16
        return config
    }
}
