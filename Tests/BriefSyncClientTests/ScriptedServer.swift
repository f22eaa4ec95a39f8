import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback HTTP server that plays a script: the n-th request it reads gets the n-th step.
final class ScriptedServer: @unchecked Sendable {
    enum Step {
        /// Writes the bytes and keeps the connection open for the next request.
        case answer(String)
        /// Writes the bytes and closes the connection.
        case answerAndClose(String)
        /// Reads the request and never answers (until the server is gone).
        case silence
        /// Reads only the request's head, writes the bytes and closes (a 413 before the body).
        case answerBeforeTheBody(String)
    }

    let url: String
    private let listener: Int32
    private let lock = NSLock()
    private var script: [Step]
    private var _connections = 0
    private var _heads: [String] = []
    private var _bodies: [String] = []

    var connections: Int { lock.withLock { _connections } }
    var heads: [String] { lock.withLock { _heads } }
    var bodies: [String] { lock.withLock { _bodies } }
    /// Request lines, in order.
    var requests: [String] { heads.map { $0.components(separatedBy: "\r\n")[0] } }

    init(_ script: [Step]) throws {
        self.script = script
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Loopback.address(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        listener = fd
        url = "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))"
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                lock.withLock { _connections += 1 }
                Thread.detachNewThread { self.serve(client) }
            }
        }
    }

    deinit { shutdown(listener, Int32(SHUT_RDWR)) }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var buffer: [UInt8] = []
        while true {
            // One request: its head, then as many body bytes as it announces.
            var end: Int?
            while end == nil {
                end = (0..<max(0, buffer.count - 3)).first { buffer[$0..<($0 + 4)].elementsEqual([13, 10, 13, 10]) }
                if end == nil {
                    var chunk = [UInt8](repeating: 0, count: 4096)
                    let n = recv(client, &chunk, chunk.count, 0)
                    guard n > 0 else { return }
                    buffer += chunk[0..<n]
                }
            }
            let head = Array(buffer[0..<(end! + 4)])
            let early: String? = lock.withLock {
                guard case .answerBeforeTheBody(let text)? = script.first else { return nil }
                script.removeFirst()
                _heads.append(String(decoding: head, as: UTF8.self))
                _bodies.append("")
                return text
            }
            if let early {
                Self.write(early, to: client)
                return
            }
            let length = Loopback.contentLength(head) ?? 0
            while buffer.count < head.count + length {
                var chunk = [UInt8](repeating: 0, count: 4096)
                let n = recv(client, &chunk, chunk.count, 0)
                guard n > 0 else { return }
                buffer += chunk[0..<n]
            }
            let body = String(decoding: buffer[head.count..<(head.count + length)], as: UTF8.self)
            buffer.removeFirst(head.count + length)
            let step: Step? = lock.withLock {
                _heads.append(String(decoding: head, as: UTF8.self))
                _bodies.append(body)
                return script.isEmpty ? nil : script.removeFirst()
            }
            switch step {
            case .answer(let text)?:
                Self.write(text, to: client)
            case .answerAndClose(let text)?:
                Self.write(text, to: client)
                return
            case .answerBeforeTheBody?, .silence?:
                var byte: UInt8 = 0
                _ = recv(client, &byte, 1, 0)
                return
            case nil:
                return
            }
        }
    }

    private static func write(_ text: String, to client: Int32) {
        _ = Array(text.utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
