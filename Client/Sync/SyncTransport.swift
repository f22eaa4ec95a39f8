import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends one HTTP request to the sync server. Injected so tests can use any transport.
public protocol SyncTransport: Sendable {
    /// The server's base URL, for messages.
    var server: String { get }
    /// Sends a request; throws only when no answer came back (network errors).
    func send(method: String, path: String, query: [String: String], body: Data?, token: String?) async throws -> (
        status: Int, body: Data
    )
}

/// The production transport: URLSession over libcurl.
public struct URLSessionTransport: SyncTransport {
    public let server: String
    let session: URLSession

    public init(server: String, timeout: TimeInterval = 30) {
        self.server = server
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = timeout * 4
        session = URLSession(configuration: config)
    }

    public func send(method: String, path: String, query: [String: String], body: Data?, token: String?) async throws
        -> (status: Int, body: Data)
    {
        guard var components = URLComponents(string: server + path) else {
            throw ClientError(.invalidArgument, "'\(server)' is not a valid server URL; use e.g. http://127.0.0.1:8080")
        }
        if !query.isEmpty {
            components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        }
        guard let url = components.url else {
            throw ClientError(.invalidArgument, "'\(server)' is not a valid server URL")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await session.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}
