import BriefSyncModel
import Foundation
import Hummingbird
import Logging

/// Turns every error into a JSON error body: ``APIError`` as it is, ``StoreError`` through the one
/// mapping (``SyncService/apiError(_:)``), Hummingbird's own errors
/// (unknown route, wrong method) with their status, anything else as a logged 500.
struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = BriefRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as StoreError {
            throw SyncService.apiError(error)
        } catch let error as any HTTPResponseError {
            if error.status == .notFound,
                let allowed = Wire.Endpoint.methods(
                    for: request.uri.path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) })
            {
                // A method the router has no route for, on a path the API knows.
                throw APIError.methodNotAllowed(
                    "\(request.uri.path) does not take \(request.method); use \(allowed.joined(separator: " or "))",
                    allow: allowed)
            }
            let code = error.status == .notFound ? "not_found" : "http_\(error.status.code)"
            let message =
                error.status == .notFound
                ? "no such endpoint: \(request.method) \(request.uri.path)" : "\(error.status.reasonPhrase)"
            throw APIError(error.status, code, message)
        } catch {
            context.logger.error("request failed: \(error)")
            throw APIError.internal("the server failed to handle the request; it was not applied")
        }
    }
}
