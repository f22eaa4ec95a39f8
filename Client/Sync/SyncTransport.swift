import BriefSyncModel
import Foundation

/// Sends one HTTP request to the sync server. Injected so tests can use any transport.
public protocol SyncTransport: Sendable {
    /// The server's base URL, for messages.
    var server: String { get }
    /// Sends a request; throws only when no answer came back (network errors).
    func send(method: String, path: String, query: [String: String], body: Data?, token: String?) async throws -> (
        status: Int, body: Data
    )
    /// Opens a Server-Sent Events stream (`GET path`) and yields its events until the server
    /// ends it, the connection fails (thrown) or the consumer stops listening.
    func events(path: String, token: String) -> AsyncThrowingStream<Wire.ServerEvent, any Error>
}

extension SyncTransport {
    /// Transports that cannot stream say so.
    public func events(path: String, token: String) -> AsyncThrowingStream<Wire.ServerEvent, any Error> {
        AsyncThrowingStream {
            $0.finish(throwing: TransportError(description: "this transport does not stream events"))
        }
    }
}

/// An event stream the server refused (401 when the token is revoked or expired, …).
public struct EventStreamRefused: Error, Sendable, CustomStringConvertible {
    public let status: Int
    public let body: Data
    public var description: String {
        let message = (try? WireJSON.decode(Wire.ErrorBody.self, from: body))?.message
        return "the server refused the event stream (\(status))" + (message.map { ": \($0)" } ?? "")
    }
}

/// A request that got no answer: connection refused, reset, timed out, DNS failure…
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// The transport `brief` uses for a server URL: a plain socket for `http://` (no libcurl to
/// load), libcurl for `https://` and anything else.
public func syncTransport(for server: String, timeout: Int = 30) -> any SyncTransport {
    server.lowercased().hasPrefix("http://")
        ? SocketTransport(server: server, timeout: timeout) : CurlTransport(server: server, timeout: timeout)
}

/// `server + path` with `query` (sorted by name, so a request is spelled the same every time),
/// as both transports send it.
/// - Throws: ``ClientError/Code/invalidArgument`` when `server` is not a URL with a host.
func requestComponents(server: String, path: String, query: [String: String]) throws -> URLComponents {
    guard var components = URLComponents(string: server + path), let host = components.host, !host.isEmpty else {
        throw ClientError(.invalidArgument, "'\(server)' is not a valid server URL; use e.g. http://127.0.0.1:8080")
    }
    if !query.isEmpty {
        components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
    }
    return components
}
