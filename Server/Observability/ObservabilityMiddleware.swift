import BriefSyncModel
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The outermost middleware: gives each request an id (`X-Request-Id`), takes the client's
/// address from `X-Forwarded-For` when the server sits behind a trusted proxy, and after the
/// answer writes one access-log line (method, path, status, duration, user, request id, client;
/// never a token, a password or a body) and counts the request in the metrics.
struct ObservabilityMiddleware: RouterMiddleware {
    typealias Context = BriefRequestContext
    let logger: Logger
    let metrics: ServerMetrics?
    let trustProxy: Bool

    static let requestID = HTTPField.Name("X-Request-Id")!
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        let id = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        var context = context
        if trustProxy, let forwarded = request.headers[Self.forwardedFor] {
            // The proxy appends the address it saw last: that hop is the one it vouches for.
            let last = forwarded.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if !last.isEmpty, last.count <= 64, last.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) {
                context.clientAddress = last
            }
        }
        let info = context.info
        let client = context.clientAddress
        do {
            var response = try await next(request, context)
            response.headers[Self.requestID] = id
            record(request, Int(response.status.code), start, id, info, client)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request, Int(status), start, id, info, client)
            throw error
        }
    }

    private func record(
        _ request: Request, _ status: Int, _ start: ContinuousClock.Instant, _ id: String, _ info: RequestInfo,
        _ client: String
    ) {
        let duration = ContinuousClock.now - start
        let segments = request.uri.path.split(separator: "/").map(String.init)
        let route = Wire.Endpoint.all.first { $0.matches(segments) }?.template ?? "other"
        metrics?.request(route: route, method: request.method.rawValue, status: status, duration: duration)
        let ms = Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000
        logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue), "path": .string(String(request.uri.path.prefix(256))),
                "status": .stringConvertible(status), "ms": .string(String(format: "%.1f", ms)),
                "user": .string(info.user ?? "-"), "request_id": .string(id), "client": .string(client),
            ])
    }
}
