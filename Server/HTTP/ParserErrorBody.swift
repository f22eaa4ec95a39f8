import BriefSyncModel
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Gives a JSON body to the `400 Bad Request` that Hummingbird writes itself, with an empty
/// body, when a request cannot be parsed as HTTP at all (a malformed request line or header):
/// every 4xx of ours says what was wrong. Our own answers always carry a body, so a 400 with
/// `Content-Length: 0` can only be that one.
final class ParserErrorBody: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    static let body = Array(
        #"{"error":"bad_request","message":"the request is not valid HTTP/1.1; check the request line and headers"}"#
            .utf8)

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .head(var head) = unwrapOutboundIn(data), head.status == .badRequest,
            head.headerFields[.contentLength] == "0"
        else {
            context.write(data, promise: promise)
            return
        }
        head.headerFields[.contentLength] = String(Self.body.count)
        head.headerFields[.contentType] = "application/json; charset=utf-8"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: Self.body))), promise: promise)
    }
}
