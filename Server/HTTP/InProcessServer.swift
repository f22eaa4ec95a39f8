import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The server's router answering requests made in this process: the same routes, middleware
/// and authentication as over HTTP, minus the socket (the simulation's transport).
public struct InProcessServer: Sendable {
    let responder: RouterResponder<BriefRequestContext>
    let logger: Logger

    public init(service: SyncService, trustProxy: Bool = false) {
        var logger = Logger(label: "briefd.inprocess")
        logger.logLevel = .critical
        self.logger = logger
        responder = BriefServer.router(service: service, logger: logger, trustProxy: trustProxy).buildResponder()
    }

    /// One answer: status, body, and for a 429 the seconds to wait.
    public struct Answer: Sendable {
        public var status: Int
        public var body: Data
        public var retryAfter: Int?
    }

    /// Answers one request; `client` stands for the caller's address (rate limits).
    public func send(
        method: String, path: String, query: [String: String] = [:], body: Data?, token: String?,
        client: String = "local", headers: [String: String] = [:]
    ) async -> Answer {
        var components = URLComponents()
        components.path = path
        components.queryItems =
            query.isEmpty ? nil : query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        var fields = HTTPFields()
        if let token { fields[.authorization] = "Bearer \(token)" }
        for (name, value) in headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        let head = HTTPRequest(
            method: HTTPRequest.Method(method) ?? .get, scheme: "http", authority: "inproc",
            path: components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? ""),
            headerFields: fields)
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: body ?? Data())))
        let context = BriefRequestContext(logger: logger, clientAddress: client)
        let response: Response
        do {
            response = try await responder.respond(to: request, context: context)
        } catch let error as APIError {
            response = APIError.jsonResponse(
                status: error.status, body: error.body, retryAfter: error.retryAfter, allow: error.allow)
        } catch {
            return Answer(status: 500, body: Data())
        }
        let box = CollectedBody()
        do {
            try await response.body.write(BodyCollector(box: box))
        } catch {
            return Answer(status: 500, body: Data())
        }
        return Answer(
            status: Int(response.status.code), body: box.data,
            retryAfter: response.headers[.retryAfter].flatMap { Int($0) })
    }
}

/// Where ``BodyCollector`` puts what a response writes.
final class CollectedBody: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes = Data()
    func append(_ buffer: ByteBuffer) { lock.withLock { bytes.append(contentsOf: buffer.readableBytesView) } }
    var data: Data { lock.withLock { bytes } }
}

/// A response body writer that keeps the bytes.
struct BodyCollector: ResponseBodyWriter {
    let box: CollectedBody
    mutating func write(_ buffer: ByteBuffer) async throws { box.append(buffer) }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
