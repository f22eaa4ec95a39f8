import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One HTTP/1.1 connection over a non-blocking socket, every wait bounded by a deadline.
///
/// The answer is read as hostile input: its head is capped at ``maxHead`` bytes, its body at the
/// caller's limit before any of it is kept, and a length is parsed without trapping arithmetic.
final class HTTPConnection {
    private let fd: Int32
    /// Bytes read and not yet parsed start at `start` (bytes before it are consumed).
    private var buffer: [UInt8] = []
    private var start = 0
    /// What each `recv` reads into.
    private var scratch = [UInt8](repeating: 0, count: 65_536)
    /// Whether an answer has been read whole on this connection (it is a reused one after that).
    private var used = false
    /// Whether a wait ran out of time (a timeout is never taken for a stale connection).
    private var timedOut = false

    static let maxHead = 64 * 1024

    /// A failure before any byte of the answer arrived: on a reused connection, the server
    /// most likely closed it while it was idle, and the request can be sent again on a new one.
    struct Stale: Error {}

    private init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// Connects to `host:port` (a name, or an IPv4 or IPv6 literal), trying each address.
    static func open(host: String, port: Int, deadline: Deadline) throws -> HTTPConnection {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let found = getaddrinfo(host, String(port), &hints, &list)
        guard found == 0, let first = list else {
            throw TransportError(
                description: "could not resolve host: \(host) (\(String(cString: gai_strerror(found))))")
        }
        defer { freeaddrinfo(list) }
        var failure = "no address"
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let info = next {
            next = info.pointee.ai_next
            let fd = socket(
                info.pointee.ai_family,
                Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else {
                failure = String(cString: strerror(errno))
                continue
            }
            let connection = HTTPConnection(fd: fd)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return connection }
            guard errno == EINPROGRESS else {
                failure = String(cString: strerror(errno))
                continue
            }
            guard connection.wait(for: Int16(POLLOUT), until: deadline) else {
                failure = "timed out"
                continue
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if error == 0 { return connection }
            failure = String(cString: strerror(error))
        }
        throw TransportError(description: "could not connect to \(host) port \(port): \(failure)")
    }

    /// Sends `request` and reads one answer of at most `maxBody` body bytes.
    /// - Returns: the status, the body, and whether the connection can carry another request.
    func exchange(_ request: [UInt8], maxBody: Int, deadline: Deadline) throws -> (
        status: Int, body: Data, reusable: Bool
    ) {
        do {
            try write(request, deadline: deadline)
        } catch let error as TransportError {
            // A server may answer before it has read the whole body (413 past its limit) and
            // close: that answer is what the caller needs, not the broken send.
            guard let early = try? readAnswer(maxBody: maxBody, deadline: deadline) else { throw error }
            used = true
            return (early.status, early.body, false)
        }
        let answer = try readAnswer(maxBody: maxBody, deadline: deadline)
        used = true
        return answer
    }

    private func write(_ bytes: [UInt8], deadline: Deadline) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                sent += n
            } else if n < 0, errno == EAGAIN || errno == EINTR {
                guard wait(for: Int16(POLLOUT), until: deadline) else {
                    throw TransportError(description: "timed out sending the request")
                }
            } else {
                let reason = String(cString: strerror(errno))
                if used && sent == 0 { throw Stale() }
                throw TransportError(description: "the connection failed while sending: \(reason)")
            }
        }
    }

    /// Reads more bytes into `buffer`; `false` at the end of the stream.
    private func fill(deadline: Deadline) throws -> Bool {
        while true {
            let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                buffer.append(contentsOf: scratch[0..<n])
                return true
            }
            if n == 0 { return false }
            guard errno == EAGAIN || errno == EINTR else {
                throw TransportError(description: "the connection failed: \(String(cString: strerror(errno)))")
            }
            guard wait(for: Int16(POLLIN), until: deadline) else {
                throw TransportError(description: "timed out waiting for the answer")
            }
        }
    }

    /// Bytes read and not yet consumed.
    private var available: Int { buffer.count - start }

    /// Takes the next `count` unconsumed bytes and consumes `skipping` more. The buffer is
    /// compacted only once half of it is consumed, so an answer of many small chunks costs
    /// linear time, not a shift of the whole buffer per chunk.
    private func take(_ count: Int, skipping: Int = 0) -> [UInt8] {
        let bytes = Array(buffer[start..<(start + count)])
        start += count + skipping
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start >= 65_536, start * 2 >= buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        return bytes
    }

    private func readAnswer(maxBody: Int, deadline: Deadline) throws -> (status: Int, body: Data, reusable: Bool) {
        while true {
            let read: [UInt8]?
            do {
                read = try readUntil(Self.blankLine, limit: Self.maxHead, deadline: deadline)
            } catch is TransportError where used && available == 0 && !timedOut {
                throw Stale()
            }
            guard let read else {
                if used && available == 0 { throw Stale() }
                throw TransportError(description: "the server closed the connection without an answer")
            }
            let head = try HTTPAnswerHead(read)
            // An interim answer (100 Continue) is followed by the real one.
            if (100..<200).contains(head.status) { continue }
            let body: [UInt8]
            var reusable = head.keepAlive
            switch head.framing {
            case .length(let length):
                guard length <= maxBody else { throw tooLarge(length, maxBody) }
                while available < length {
                    guard try fill(deadline: deadline) else { throw cutShort(available, of: length) }
                }
                body = take(length)
            case .chunked:
                body = try readChunks(maxBody: maxBody, deadline: deadline)
            case .untilClose:
                while try fill(deadline: deadline) {
                    guard available <= maxBody else { throw tooLarge(available, maxBody) }
                }
                guard available > 0 else { throw cutShort(0, of: -1) }
                body = take(available)
                reusable = false
            }
            return (head.status, Data(body), reusable)
        }
    }

    private static let blankLine: [UInt8] = [13, 10, 13, 10]
    private static let lineEnd: [UInt8] = [13, 10]

    /// The bytes before the next `terminator` (which is consumed too), at most `limit` of them;
    /// `nil` if the connection ends first.
    private func readUntil(_ terminator: [UInt8], limit: Int, deadline: Deadline) throws -> [UInt8]? {
        var searched = start
        while true {
            var i = searched
            while i + terminator.count <= buffer.count {
                if buffer[i..<(i + terminator.count)].elementsEqual(terminator) {
                    guard i - start <= limit else { throw overLimit(terminator, limit) }
                    return take(i - start, skipping: terminator.count)
                }
                i += 1
            }
            searched = max(start, buffer.count - terminator.count + 1)
            guard available <= limit + terminator.count else { throw overLimit(terminator, limit) }
            guard try fill(deadline: deadline) else { return nil }
        }
    }

    private func overLimit(_ terminator: [UInt8], _ limit: Int) -> TransportError {
        terminator == Self.blankLine
            ? TransportError(description: "the answer's head is longer than \(limit) bytes")
            : malformedChunks()
    }

    /// The body of a chunked answer: hex sizes, each at most 16 digits and within `maxBody` in
    /// all; trailers at most ``maxHead`` bytes.
    private func readChunks(maxBody: Int, deadline: Deadline) throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            guard let line = try readUntil(Self.lineEnd, limit: Self.maxHead, deadline: deadline) else {
                throw cutShort(body.count, of: -1)
            }
            let digits = line.prefix { $0 != UInt8(ascii: ";") }.filter { $0 != 32 && $0 != 9 }
            guard !digits.isEmpty, digits.count <= 16,
                let size = Int(String(decoding: digits, as: UTF8.self), radix: 16),
                size >= 0
            else { throw malformedChunks() }
            if size == 0 {
                // Trailer lines up to the blank one, at most a head's worth in all.
                var trailers = 0
                while true {
                    guard let trailer = try readUntil(Self.lineEnd, limit: Self.maxHead - trailers, deadline: deadline)
                    else { throw cutShort(body.count, of: -1) }
                    if trailer.isEmpty { return body }
                    trailers += trailer.count + 2
                }
            }
            guard size <= maxBody - body.count else { throw tooLarge(size, maxBody) }
            while available < size + 2 {
                guard try fill(deadline: deadline) else { throw cutShort(body.count + available, of: -1) }
            }
            guard buffer[start + size] == 13, buffer[start + size + 1] == 10 else { throw malformedChunks() }
            body.append(contentsOf: take(size, skipping: 2))
        }
    }

    /// Waits until the socket is ready for `events` or the deadline passes (`false`).
    private func wait(for events: Int16, until deadline: Deadline) -> Bool {
        while true {
            let left = deadline.millisecondsLeft
            guard left > 0 else {
                timedOut = true
                return false
            }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(left, Int64(Int32.max))))
            if ready > 0 { return true }
            if ready < 0, errno != EINTR { return true }  // the next call reports the error
        }
    }

    private func malformedChunks() -> TransportError {
        TransportError(description: "the answer's chunked body is malformed")
    }

    private func cutShort(_ got: Int, of announced: Int) -> TransportError {
        TransportError(description: "the answer was cut short (\(got) of \(announced) bytes)")
    }

    private func tooLarge(_ size: Int, _ limit: Int) -> TransportError {
        TransportError(description: "the answer is larger than \(limit) bytes (\(size))")
    }
}

/// A point in time on the monotonic clock, for bounding every wait of one request.
struct Deadline {
    private let end: Int64

    init(seconds: Int) {
        end = Self.now() &+ Int64(seconds) &* 1000
    }

    var millisecondsLeft: Int64 { end &- Self.now() }

    private static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) &* 1000 &+ Int64(spec.tv_nsec) / 1_000_000
    }
}
