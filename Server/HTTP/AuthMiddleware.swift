import Hummingbird

/// The one authentication check: every route of the authenticated group passes through it.
/// A missing, expired, revoked or unknown token, or a disabled user, is a 401 before any route
/// code runs; otherwise the context carries the ``Caller``.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = BriefRequestContext
    let service: SyncService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let token = request.headers[.authorization].flatMap { header -> String? in
            header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : nil
        }
        var context = context
        let caller = try await service.authenticate(token)
        context.caller = caller
        context.info.user = caller.user.name
        return try await next(request, context)
    }
}
