import Foundation
import Hummingbird
import Logging

/// The request context: Hummingbird's core storage, the caller's address (for rate limits and
/// the access log) and, once ``AuthMiddleware`` has run, the ``Caller``.
public struct BriefRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address, or the client's as a trusted proxy reports it (`--trust-proxy`).
    public var clientAddress: String
    /// The authenticated caller; set by ``AuthMiddleware`` on every endpoint that needs a token.
    public var caller: Caller?
    /// What the access log reports; shared with the middleware that writes it, since inner
    /// middleware works on copies of the context.
    let info = RequestInfo()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// A context for a request made in process (``InProcessServer``): no socket, no peer.
    init(logger: Logger, clientAddress: String) {
        coreContext = .init(source: InProcessSource(logger: logger))
        self.clientAddress = clientAddress
    }

    /// The caller, which ``AuthMiddleware`` has set on every route that needs one.
    func authenticated() throws -> Caller {
        guard let caller else { throw APIError.unauthorized("send 'Authorization: Bearer TOKEN'") }
        return caller
    }
}

/// Where an in-process request's context comes from.
struct InProcessSource: RequestContextSource {
    let logger: Logger
}

/// A request's facts gathered on the way in, for its access-log line.
final class RequestInfo: @unchecked Sendable {
    private let lock = NSLock()
    private var _user: String?
    /// The authenticated user's name.
    var user: String? {
        get { lock.withLock { _user } }
        set { lock.withLock { _user = newValue } }
    }
}
