import BriefSyncModel
import Foundation
import HTTPTypes
import Hummingbird

/// An error answered as `{"error": code, "message": …}` with a 4xx or 5xx status.
public struct APIError: HTTPResponseError, Sendable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    /// A stable, machine-readable code such as `unauthorized`.
    public let code: String
    public let message: String
    /// Seconds to wait before trying again (sent as `Retry-After`).
    public let retryAfter: Int?
    /// The methods the path takes, for a 405 (sent as `Allow`).
    public let allow: [String]?

    init(
        _ status: HTTPResponse.Status, _ code: String, _ message: String, retryAfter: Int? = nil,
        allow: [String]? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
        self.allow = allow
    }

    public var description: String { "\(code): \(message)" }

    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "bad_request", message) }
    static func unauthorized(_ message: String) -> APIError { APIError(.unauthorized, "unauthorized", message) }
    static func forbidden(_ message: String) -> APIError { APIError(.forbidden, "forbidden", message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
    static func tooLarge(_ message: String) -> APIError { APIError(.contentTooLarge, "too_large", message) }
    static func tooManyRequests(_ message: String, retryAfter: Int) -> APIError {
        APIError(.tooManyRequests, "rate_limited", message, retryAfter: retryAfter)
    }
    static func methodNotAllowed(_ message: String, allow: [String]) -> APIError {
        APIError(.methodNotAllowed, "method_not_allowed", message, allow: allow)
    }
    static func unavailable(_ message: String) -> APIError {
        APIError(.serviceUnavailable, "unavailable", message)
    }
    static func insufficientStorage(_ message: String) -> APIError {
        APIError(.init(code: 507, reasonPhrase: "Insufficient Storage"), "storage_full", message)
    }
    static func conflict(_ message: String) -> APIError { APIError(.conflict, "conflict", message) }
    static func epochChanged(_ message: String) -> APIError {
        APIError(.conflict, Wire.ErrorCode.epochChanged, message)
    }
    static func `internal`(_ message: String) -> APIError { APIError(.internalServerError, "internal", message) }

    /// The JSON body: `{"error": code, "message": …}`.
    var body: Data { (try? WireJSON.data(Wire.ErrorBody(error: code, message: message))) ?? Data() }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        APIError.jsonResponse(status: status, body: body, retryAfter: retryAfter, allow: allow)
    }

    /// A JSON response; a 401 also names the auth scheme, a 429 says when to try again.
    static func jsonResponse(
        status: HTTPResponse.Status, body: Data, retryAfter: Int? = nil, allow: [String]? = nil
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if let allow { headers[.allow] = allow.joined(separator: ", ") }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
