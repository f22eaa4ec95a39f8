import Foundation

/// Sends one HTTP request to the sync server. Injected so tests can use any transport.
public protocol SyncTransport: Sendable {
    /// The server's base URL, for messages.
    var server: String { get }
    /// Sends a request; throws only when no answer came back (network errors).
    func send(method: String, path: String, query: [String: String], body: Data?, token: String?) async throws -> (
        status: Int, body: Data
    )
}

/// A request that got no answer: connection refused, reset, timed out, DNS failure…
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public let description: String
}
