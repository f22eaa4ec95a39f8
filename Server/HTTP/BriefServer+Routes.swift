import BriefSyncModel
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

extension BriefServer {
    /// The routes of the sync API, one per ``Wire/Endpoint``: public ones first, then a group
    /// behind ``AuthMiddleware``. Served on a socket by ``application(service:host:port:logger:onRunning:)``
    /// and in process by ``InProcessServer``.
    public static func router(
        service: SyncService, logger: Logger, trustProxy: Bool = false
    ) -> Router<BriefRequestContext> {
        let router = Router(context: BriefRequestContext.self)
        router.add(
            middleware: ObservabilityMiddleware(logger: logger, metrics: service.metrics, trustProxy: trustProxy))
        router.add(middleware: JSONErrorMiddleware())
        router.on(path(.healthz), method: .get) { _, _ in json(try await service.health()) }
        router.on(path(.metrics), method: .get) { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(
                status: .ok, headers: headers,
                body: .init(byteBuffer: ByteBuffer(bytes: try await service.metricsText())))
        }
        router.on(path(.readyz), method: .get) { _, _ in json(try await service.ready()) }
        router.on(path(.login), method: .post) { request, context in
            json(try await service.login(try await body(request, service), client: context.clientAddress))
        }
        let authenticated = router.group().add(middleware: AuthMiddleware(service: service))
        authenticated.on(path(.logout), method: .post) { _, context in
            json(try await service.logout(try context.authenticated()))
        }
        authenticated.on(path(.me), method: .get) { _, context in
            json(try await service.me(try context.authenticated()))
        }
        authenticated.on(path(.password), method: .post) { request, context in
            json(
                try await service.changePassword(
                    try await body(request, service), caller: try context.authenticated(), client: context.clientAddress
                ))
        }
        authenticated.on(path(.members), method: .get) { _, context in
            json(try await service.members(try parameter(context, "team"), caller: try context.authenticated()))
        }
        authenticated.on(path(.push), method: .post) { request, context in
            json(try await service.push(try await body(request, service), caller: try context.authenticated()))
        }
        authenticated.on(path(.pull), method: .get) { request, context in
            json(try await service.pull(query(request), caller: try context.authenticated()))
        }
        authenticated.on(path(.events), method: .get) { _, context in
            service.events(try context.authenticated())
        }
        authenticated.on(path(.history), method: .get) { _, context in
            json(try await service.history(try parameter(context, "id"), caller: try context.authenticated()))
        }
        authenticated.on(path(.setMember), method: .put) { request, context in
            json(
                try await service.setMember(
                    try parameter(context, "team"), try parameter(context, "user"), try await body(request, service),
                    caller: try context.authenticated()))
        }
        authenticated.on(path(.removeMember), method: .delete) { _, context in
            json(
                try await service.removeMember(
                    try parameter(context, "team"), try parameter(context, "user"), caller: try context.authenticated())
            )
        }
        return router
    }

    /// A ``Wire/Endpoint``'s template in the router's spelling (`{id}` → `:id`).
    static func path(_ endpoint: Wire.Endpoint) -> RouterPath {
        RouterPath(
            "/"
                + endpoint.segments.map { $0.hasPrefix("{") ? ":" + $0.dropFirst().dropLast() : String($0) }
                .joined(separator: "/"))
    }

    /// A path parameter, percent-decoded.
    static func parameter(_ context: BriefRequestContext, _ name: String) throws -> String {
        guard let raw = context.parameters.get(name) else { throw APIError.notFound("no such endpoint") }
        guard let value = raw.removingPercentEncoding else {
            throw APIError.badRequest("the \(name) in the path is not valid percent-encoding")
        }
        return value
    }

    /// The request body, refused with 413 past the limit.
    static func body(_ request: Request, _ service: SyncService) async throws -> Data {
        do {
            return Data(try await request.body.collect(upTo: service.limits.maxBody).readableBytesView)
        } catch {
            throw APIError.tooLarge("the body is over \(service.limits.maxBody) bytes; push fewer mutations at a time")
        }
    }

    static func query(_ request: Request) -> [String: String] {
        var query: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { query[String(k)] = String(v) }
        return query
    }

    /// A 200 with a JSON body.
    static func json(_ data: Data) -> Response {
        APIError.jsonResponse(status: .ok, body: data)
    }
}
