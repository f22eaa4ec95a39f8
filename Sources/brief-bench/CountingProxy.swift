import Foundation
import Synchronization
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback TCP relay in front of a server that counts the bytes each way, so a bench can say
/// what one command put on the wire with the real client and server: all of it, and the HTTP
/// bodies alone (messages framed by `Content-Length`, as both sides send them).
final class CountingProxy: Sendable {
    /// Bytes from clients to the server, and back.
    let up = Atomic<Int>(0)
    let down = Atomic<Int>(0)
    /// Of those, the bytes of HTTP bodies.
    let upBodies = Atomic<Int>(0)
    let downBodies = Atomic<Int>(0)
    /// Connections accepted.
    let connections = Atomic<Int>(0)
    let port: Int
    private let listener: Int32
    private let upstream: Int

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Listens on a free loopback port and relays every connection to `upstream`.
    init(upstream: Int) throws {
        self.upstream = upstream
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var address = Loopback.address(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 64) == 0 else { throw Failure(description: "bind/listen: \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// What was counted since the last `take`.
    struct Counts {
        var up = 0
        var down = 0
        var upBodies = 0
        var downBodies = 0
        var connections = 0
    }

    /// The counts so far, then zero.
    func take() -> Counts {
        Counts(
            up: up.exchange(0, ordering: .sequentiallyConsistent),
            down: down.exchange(0, ordering: .sequentiallyConsistent),
            upBodies: upBodies.exchange(0, ordering: .sequentiallyConsistent),
            downBodies: downBodies.exchange(0, ordering: .sequentiallyConsistent),
            connections: connections.exchange(0, ordering: .sequentiallyConsistent))
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Loopback.address(port: upstream)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                close(client)
                close(server)
                continue
            }
            connections.add(1, ordering: .sequentiallyConsistent)
            let pair = Pair(client, server)
            Thread.detachNewThread { [self] in
                pump(from: client, to: server, counter: up, bodies: upBodies, pair: pair)
            }
            Thread.detachNewThread { [self] in
                pump(from: server, to: client, counter: down, bodies: downBodies, pair: pair)
            }
        }
    }

    /// One relayed connection's two sockets: the second pump to end closes them.
    final class Pair: Sendable {
        let fds: (Int32, Int32)
        let running = Atomic<Int>(2)
        init(_ a: Int32, _ b: Int32) { fds = (a, b) }
        func ended() {
            if running.subtract(1, ordering: .sequentiallyConsistent).newValue == 0 {
                close(fds.0)
                close(fds.1)
            }
        }
    }

    /// Copies until either side closes, then shuts both down so the other pump ends too.
    private func pump(
        from source: Int32, to sink: Int32, counter: borrowing Atomic<Int>, bodies: borrowing Atomic<Int>, pair: Pair
    ) {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var framing = Framing()
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            counter.add(n, ordering: .sequentiallyConsistent)
            bodies.add(framing.bodyBytes(in: chunk[0..<n]), ordering: .sequentiallyConsistent)
            var sent = 0
            while sent < n {
                let m = chunk[sent..<n].withUnsafeBytes { send(sink, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if m <= 0 { break }
                sent += m
            }
            if sent < n { break }
        }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(sink, Int32(SHUT_RDWR))
        pair.ended()
    }

    /// Where one direction of a connection is between HTTP messages: in a head (collected
    /// until its blank line) or in a body of known length.
    struct Framing {
        var head: [UInt8] = []
        var bodyLeft = 0

        /// How many of `bytes` belong to bodies.
        mutating func bodyBytes(in bytes: ArraySlice<UInt8>) -> Int {
            var body = 0
            var i = bytes.startIndex
            while i < bytes.endIndex {
                if bodyLeft > 0 {
                    let n = min(bodyLeft, bytes.endIndex - i)
                    body += n
                    bodyLeft -= n
                    i += n
                    continue
                }
                head.append(bytes[i])
                i += 1
                if head.count >= 4, head.suffix(4).elementsEqual([13, 10, 13, 10]) {
                    bodyLeft = Loopback.contentLength(head) ?? 0
                    head = []
                }
            }
            return body
        }
    }
}
