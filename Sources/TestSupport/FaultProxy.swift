import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A seeded TCP proxy on loopback that injects network faults between a client and a server:
/// connections reset part-way through the answer (often after the server has committed), answers
/// cut short with a clean close, and requests dropped before they reach the server.
///
/// Each accepted connection draws its fate from one seeded generator, so a run with the same seed
/// and the same sequence of connections injects the same faults. By default a connection carries
/// one answer and is then closed, so a client that keeps connections alive still opens one per
/// request and every request draws a fate.
public final class FaultProxy: Sendable {
    /// Chances per connection; what is left passes untouched.
    public struct Odds: Sendable {
        /// RST to the client after 0–`maxCut` bytes of the answer.
        public var reset: Double
        /// A clean close after 0–`maxCut` bytes of the answer.
        public var truncate: Double
        /// The request is read, never forwarded, and the client gets an RST.
        public var dropRequest: Double
        public var maxCut: Int

        public init(reset: Double = 0, truncate: Double = 0, dropRequest: Double = 0, maxCut: Int = 200) {
            self.reset = reset
            self.truncate = truncate
            self.dropRequest = dropRequest
            self.maxCut = maxCut
        }
    }

    /// How many connections met each fate.
    public struct Stats: Sendable, Hashable, CustomStringConvertible {
        public var connections = 0
        public var resets = 0
        public var truncations = 0
        public var dropped = 0
        public var description: String {
            "\(connections) connections: \(resets) reset, \(truncations) cut short, \(dropped) dropped"
        }
    }

    private enum Fate {
        case pass
        case reset(after: Int)
        case truncate(after: Int)
        case drop
    }

    /// The port clients connect to.
    public let port: Int
    private let upstream: Int
    private let odds: Odds
    private let oneAnswer: Bool
    private let listener: Int32
    private let state: Mutex<(rng: SeededGenerator, stats: Stats, stopped: Bool)>

    /// Listens on a free loopback port and forwards to `127.0.0.1:upstream`.
    /// - Parameter oneAnswerPerConnection: close each connection after its first whole answer
    ///   (framed by `Content-Length`; an answer without one streams until the server closes).
    public init(upstream: Int, odds: Odds, seed: UInt64, oneAnswerPerConnection: Bool = true) throws {
        self.upstream = upstream
        self.odds = odds
        oneAnswer = oneAnswerPerConnection
        state = Mutex((SeededGenerator(seed: seed), Stats(), false))
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = Loopback.address(port: 0)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
        }
        guard fd >= 0, bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "the fault proxy cannot listen"])
        }
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    public var stats: Stats { state.withLock { $0.stats } }

    /// Stops accepting; connections in flight finish on their own.
    public func stop() {
        let first = state.withLock { s -> Bool in
            defer { s.stopped = true }
            return !s.stopped
        }
        if first { shutdown(listener, Int32(SHUT_RDWR)) }
    }

    deinit { close(listener) }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let fate = state.withLock { s -> Fate in
                s.stats.connections += 1
                let draw = Double.random(in: 0..<1, using: &s.rng)
                let cut = Int.random(in: 0...odds.maxCut, using: &s.rng)
                if draw < odds.reset {
                    s.stats.resets += 1
                    return .reset(after: cut)
                } else if draw < odds.reset + odds.truncate {
                    s.stats.truncations += 1
                    return .truncate(after: cut)
                } else if draw < odds.reset + odds.truncate + odds.dropRequest {
                    s.stats.dropped += 1
                    return .drop
                }
                return .pass
            }
            Thread.detachNewThread { [self] in serve(client, fate) }
        }
    }

    private func serve(_ client: Int32, _ fate: Fate) {
        if case .drop = fate {
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = read(client, &buffer, buffer.count)
            Self.reset(client)
            return
        }
        let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = Loopback.address(port: upstream)
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard server >= 0, connected == 0 else {
            close(server)
            Self.reset(client)
            return
        }
        // Requests flow on their own thread; answers on this one, where the cut happens.
        let requestDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            Self.pump(from: client, to: server, limit: nil)
            shutdown(server, Int32(SHUT_WR))
            requestDone.signal()
        }
        let limit: Int?
        switch fate {
        case .reset(let n), .truncate(let n): limit = n
        default: limit = nil
        }
        let cut = Self.pump(from: server, to: client, limit: limit, oneAnswer: oneAnswer)
        if cut, case .reset = fate {
            // No FIN first: wake the request thread, then close with an RST.
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            shutdown(client, Int32(SHUT_RD))
        } else {
            shutdown(client, Int32(SHUT_RDWR))
        }
        shutdown(server, Int32(SHUT_RDWR))
        requestDone.wait()
        close(client)
        close(server)
    }

    /// Copies bytes until EOF, an error, `limit` bytes, or (with `oneAnswer`) the end of the first
    /// HTTP answer; returns whether the limit cut it.
    @discardableResult
    private static func pump(from source: Int32, to sink: Int32, limit: Int?, oneAnswer: Bool = false) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        var sent = 0
        var head: [UInt8] = []
        var answerEnd: Int? = nil
        while true {
            let n = read(source, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            var count = n
            if oneAnswer, answerEnd == nil {
                for (i, byte) in buffer[0..<n].enumerated() {
                    head.append(byte)
                    if head.count >= 4, head.suffix(4).elementsEqual([13, 10, 13, 10]) {
                        answerEnd = Loopback.contentLength(head).map { sent + i + 1 + $0 } ?? .max
                        break
                    }
                }
            }
            if let end = answerEnd, sent + count > end { count = end - sent }
            var cut = false
            if let limit, sent + count >= limit {
                count = limit - sent
                cut = true
            }
            var offset = 0
            while offset < count {
                // MSG_NOSIGNAL: a peer already gone (the proxy closes after one answer) is an
                // error here, not a SIGPIPE that ends the whole test process.
                let w = buffer.withUnsafeBytes {
                    send(sink, $0.baseAddress! + offset, count - offset, Int32(MSG_NOSIGNAL))
                }
                if w < 0 && errno == EINTR { continue }
                if w <= 0 { return cut }
                offset += w
            }
            sent += count
            if cut { return true }
            if let end = answerEnd, sent >= end { return false }
        }
    }

    /// Closes with an RST (SO_LINGER 0), as a crashed peer or a middlebox would.
    private static func reset(_ fd: Int32) {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close(fd)
    }
}
