import Foundation
import TestSupport
import Testing

@testable import BriefSyncClient

#if canImport(Glibc)
    import Glibc
#endif

/// `SocketTransport` against a scripted server on loopback: framings a server may use, answers a
/// hostile or broken one may send (each an error, never a trap or an unbounded read), and a
/// connection reused until the server closes it.
@Suite struct SocketTransportTests {
    @Test func aLengthAndAChunkedAnswerReadTheSame() async throws {
        let server = try ScriptedServer([
            .answer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"),
            .answer(
                "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3;x=1\r\nhel\r\n2\r\nlo\r\n0\r\nT: 1\r\n\r\n"
            ),
            .answer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"),
        ])
        let transport = SocketTransport(server: server.url)
        let first = try await transport.send(method: "GET", path: "/a", query: ["b": "c d"], body: nil, token: "t")
        #expect(first.status == 200)
        #expect(String(decoding: first.body, as: UTF8.self) == "hello")
        let second = try await transport.send(method: "POST", path: "/p", query: [:], body: Data("{}".utf8), token: nil)
        #expect(second.status == 201)
        #expect(String(decoding: second.body, as: UTF8.self) == "hello")
        let third = try await transport.send(method: "GET", path: "/n", query: [:], body: nil, token: nil)
        #expect(third.status == 204 && third.body.isEmpty)
        // One connection carried all three, and the requests were what the server was told.
        #expect(server.connections == 1)
        #expect(
            server.requests == [
                "GET /a?b=c%20d HTTP/1.1", "POST /p HTTP/1.1", "GET /n HTTP/1.1",
            ])
        #expect(server.heads[0].contains("\r\nAuthorization: Bearer t\r\n"))
        #expect(server.bodies[1] == "{}")
    }

    /// A server that closes a kept-alive connection while it is idle: the next request goes on a
    /// new connection, once.
    @Test func aConnectionTheServerClosedWhileIdleIsReplaced() async throws {
        let server = try ScriptedServer([
            .answerAndClose("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
            .answer("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes"),
        ])
        let transport = SocketTransport(server: server.url)
        #expect(try await transport.send(method: "GET", path: "/1", query: [:], body: nil, token: nil).status == 200)
        let again = try await transport.send(method: "GET", path: "/2", query: [:], body: nil, token: nil)
        #expect(String(decoding: again.body, as: UTF8.self) == "yes")
        #expect(server.connections == 2)
    }

    @Test(arguments: [
        ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "cut short (5 of 10 bytes)"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 999999999\r\n\r\n", "larger than 1024 bytes"),
        ("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "Content-Length"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", "Content-Length"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc", "Content-Length"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF\r\n", "chunked body is malformed"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7FFFFFFFFFFFFFFF\r\n", "larger than 1024 bytes"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", "chunked body is malformed"),
        (
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
                + String(repeating: "T: 1\r\n", count: 20_000) + "\r\n", "chunked body is malformed"
        ),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "Transfer-Encoding"),
        ("HTTP/1.1 2x0 OK\r\n\r\n", "its status"),
        ("SSH-2.0-OpenSSH_9.2\r\n\r\n", "status line"),
        ("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "a header line"),
        ("HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 70_000) + "\r\n\r\n", "longer than 65536 bytes"),
        ("", "closed the connection without an answer"),
    ])
    func aBrokenAnswerIsAnErrorThatSaysWhatWasWrong(answer: String, expected: String) async throws {
        let server = try ScriptedServer([.answerAndClose(answer)])
        var transport = SocketTransport(server: server.url)
        transport.maxBody = 1024
        do {
            _ = try await transport.send(method: "GET", path: "/x", query: [:], body: nil, token: nil)
            Issue.record("no error for \(answer.prefix(60))")
        } catch let error as TransportError {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    /// A server that answers (413) after the head and closes while the body is still being
    /// sent: the answer is returned, not the broken send.
    @Test func anAnswerSentBeforeTheBodyWasReadIsTheAnswer() async throws {
        let server = try ScriptedServer([
            .answerBeforeTheBody("HTTP/1.1 413 Content Too Large\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbig!")
        ])
        let answer = try await SocketTransport(server: server.url).send(
            method: "POST", path: "/p", query: [:], body: Data(count: 16 << 20), token: nil)
        #expect(answer.status == 413)
        #expect(String(decoding: answer.body, as: UTF8.self) == "big!")
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let server = try ScriptedServer([.silence])
        let transport = SocketTransport(server: server.url, timeout: 1)
        await #expect(throws: TransportError.self) {
            _ = try await transport.send(method: "GET", path: "/x", query: [:], body: nil, token: nil)
        }
        #expect(server.connections == 1)
    }

    @Test func nothingListeningAndBadURLsAreErrorsNotTraps() async throws {
        let port = ServerProcess.freePort()
        await #expect(throws: TransportError.self) {
            _ = try await SocketTransport(server: "http://127.0.0.1:\(port)").send(
                method: "GET", path: "/x", query: [:], body: nil, token: nil)
        }
        for bad in ["http://", "http://a b", "ftp://127.0.0.1:1"] {
            await #expect(throws: ClientError.self) {
                _ = try await SocketTransport(server: bad).send(
                    method: "GET", path: "/x", query: [:], body: nil, token: nil)
            }
        }
        #expect(syncTransport(for: "http://h:1") is SocketTransport)
        #expect(syncTransport(for: "HTTPS://h:1") is CurlTransport)
    }
}
