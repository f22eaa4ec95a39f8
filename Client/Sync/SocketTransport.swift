import BriefSyncModel
import Foundation

/// The transport for `http://` servers: HTTP/1.1 over a plain socket, one keep-alive connection
/// shared by a transport's copies. It spares every sync the loading of libcurl and the ~30
/// libraries it brings (issue 12: ~3 ms of dynamic linking and ~4 ms of kernel time per `brief
/// sync` process). `https://` servers, and event streams, stay with ``CurlTransport``.
public struct SocketTransport: SyncTransport {
    public let server: String
    /// Seconds for the whole request.
    public var timeout: Int
    /// The largest answer body taken (a pull page is far smaller).
    public var maxBody = 256 * 1024 * 1024

    let idle = IdleConnections()

    public init(server: String, timeout: Int = 30) {
        self.server = server
        self.timeout = timeout
    }

    public func send(method: String, path: String, query: [String: String], body: Data?, token: String?) async throws
        -> (status: Int, body: Data)
    {
        let components = try requestComponents(server: server, path: path, query: query)
        guard components.scheme?.lowercased() == "http", let host = components.host,
            host.utf8.allSatisfy({ $0 > 32 && $0 != 127 })
        else {
            throw ClientError(
                .invalidArgument, "'\(server)' is not an http:// server URL; use e.g. http://127.0.0.1:8080")
        }
        let port = components.port ?? 80
        let target =
            (components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath)
            + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(components.percentEncodedHost ?? host):\(port)\r\n"
        head += "Accept: application/json\r\nContent-Length: \(body?.count ?? 0)\r\n"
        if body != nil { head += "Content-Type: application/json\r\n" }
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        let request = Array((head + "\r\n").utf8) + (body.map { [UInt8]($0) } ?? [])
        // A name in brackets is an IPv6 literal; getaddrinfo wants it bare.
        let address = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let (timeout, maxBody, idle) = (self.timeout, self.maxBody, self.idle)
        return try await withCheckedThrowingContinuation { continuation in
            ExchangeThreads.shared.run {
                continuation.resume(
                    with: Result {
                        try Self.exchange(
                            request, host: address, port: port, maxBody: maxBody, idle: idle,
                            deadline: Deadline(seconds: timeout))
                    })
            }
        }
    }

    /// Sends on an idle connection if there is one, else on a new one; a reused connection the
    /// server had closed while idle (nothing of the answer arrived) is replaced once.
    private static func exchange(
        _ request: [UInt8], host: String, port: Int, maxBody: Int, idle: IdleConnections, deadline: Deadline
    ) throws -> (status: Int, body: Data) {
        if let reused = idle.take() {
            do {
                return try finish(reused, request, maxBody: maxBody, idle: idle, deadline: deadline)
            } catch is HTTPConnection.Stale {}
        }
        let fresh = try HTTPConnection.open(host: host, port: port, deadline: deadline)
        do {
            return try finish(fresh, request, maxBody: maxBody, idle: idle, deadline: deadline)
        } catch is HTTPConnection.Stale {
            throw TransportError(description: "the server closed the connection without an answer")
        }
    }

    private static func finish(
        _ connection: HTTPConnection, _ request: [UInt8], maxBody: Int, idle: IdleConnections, deadline: Deadline
    ) throws -> (status: Int, body: Data) {
        let answer = try connection.exchange(request, maxBody: maxBody, deadline: deadline)
        if answer.reusable { idle.give(connection) }
        return (answer.status, answer.body)
    }

    public func events(path: String, token: String) -> AsyncThrowingStream<Wire.ServerEvent, any Error> {
        CurlTransport(server: server, timeout: timeout).events(path: path, token: token)
    }
}

/// Connections with no request in flight, kept for the next one (at most four: a sync runs at
/// most two requests at once, a pull page and the next one).
final class IdleConnections: @unchecked Sendable {
    private let lock = NSLock()
    private var connections: [HTTPConnection] = []

    func take() -> HTTPConnection? { lock.withLock { connections.popLast() } }

    func give(_ connection: HTTPConnection) {
        lock.withLock { if connections.count < 4 { connections.append(connection) } }
    }
}
