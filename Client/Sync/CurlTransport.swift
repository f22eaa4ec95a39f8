import CCurl
import Foundation

/// The production transport: libcurl's easy interface, one blocking transfer per request on its
/// own thread. Copies of a transport share their easy handles, and with them their open
/// connections: a sync's pushes and pulls go over one keep-alive connection (one TLS handshake),
/// not one each.
///
/// Not URLSession: on Linux, FoundationNetworking stops the process with a fatal error when a
/// connection closes right after the request is sent (swift-corelibs-foundation #5285), which is
/// exactly what a flaky network does. libcurl reports it as an error we can queue and retry.
public struct CurlTransport: SyncTransport {
    public let server: String
    /// Seconds for the whole transfer.
    public var timeout: Int
    /// Seconds an event stream may carry nothing (the server sends a heartbeat every 15 s).
    public var stallSeconds: Int = 45

    /// Idle easy handles (each keeps its connection open for the next request).
    let handles = CurlHandles()

    public init(server: String, timeout: Int = 30) {
        self.server = server
        self.timeout = timeout
    }

    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    public func send(method: String, path: String, query: [String: String], body: Data?, token: String?) async throws
        -> (
            status: Int, body: Data
        )
    {
        let components = try requestComponents(server: server, path: path, query: query)
        guard let url = components.url?.absoluteString else {
            throw ClientError(.invalidArgument, "'\(server)' is not a valid server URL")
        }
        let timeout = self.timeout
        let handles = self.handles
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Result {
                        guard Self.initialized, let handle = handles.take() else {
                            throw TransportError(description: "libcurl did not start")
                        }
                        let answer: (status: Int, body: Data)
                        do {
                            answer = try Self.perform(
                                handle, method: method, url: url, body: body, token: token, timeout: timeout)
                        } catch {
                            // Its connection may be broken: not kept.
                            curl_easy_cleanup(handle)
                            throw error
                        }
                        handles.give(handle)
                        return answer
                    })
            }
        }
    }

    /// Collects the answer's bytes.
    private final class Sink {
        var data = Data()
    }

    private static func perform(
        _ handle: UnsafeMutableRawPointer, method: String, url: String, body: Data?, token: String?, timeout: Int
    ) throws -> (status: Int, body: Data) {
        var headers: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headers) }
        headers = curl_slist_append(headers, "Accept: application/json")
        if body != nil { headers = curl_slist_append(headers, "Content-Type: application/json") }
        if let token { headers = curl_slist_append(headers, "Authorization: Bearer \(token)") }
        // Without this, libcurl sends "Expect: 100-continue" for larger bodies and waits.
        headers = curl_slist_append(headers, "Expect:")
        let sink = Sink()
        let context = Unmanaged.passUnretained(sink).toOpaque()
        let payload = body ?? Data()
        return try withExtendedLifetime(sink) {
            try payload.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                _ = briefsync_setopt_string(handle, CURLOPT_URL, url)
                _ = briefsync_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
                _ = briefsync_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headers))
                _ = briefsync_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
                _ = briefsync_setopt_long(handle, CURLOPT_TIMEOUT, timeout)
                _ = briefsync_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, min(timeout, 10))
                if body != nil {
                    _ = briefsync_setopt_long(handle, CURLOPT_POSTFIELDSIZE, bytes.count)
                    _ = briefsync_setopt_pointer(
                        handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                }
                _ = briefsync_setopt_write(
                    handle,
                    { data, size, count, context in
                        guard let data, let context else { return 0 }
                        let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
                        sink.data.append(
                            UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
                        return size * count
                    }, context)
                let code = curl_easy_perform(handle)
                guard code == CURLE_OK else {
                    throw TransportError(description: String(cString: curl_easy_strerror(code)))
                }
                let status = Int(briefsync_response_code(handle))
                let announced = briefsync_content_length(handle)
                // A connection closed mid-answer can end a transfer "successfully" with a short body
                // (briefd always announces the length of its answers).
                guard status > 0, announced == Int64(sink.data.count) || (announced < 0 && !sink.data.isEmpty) else {
                    throw TransportError(
                        description: "the answer was cut short (\(sink.data.count) of \(announced) bytes)")
                }
                return (status, sink.data)
            }
        }
    }
}

/// Easy handles not in use, kept for the next request (at most four: a sync runs at most two
/// requests at once, a pull page and the next one).
final class CurlHandles: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [UnsafeMutableRawPointer] = []

    /// An idle handle, or a new one (`nil` if libcurl cannot start).
    func take() -> UnsafeMutableRawPointer? {
        lock.withLock { idle.popLast() } ?? curl_easy_init()
    }

    /// Keeps a handle whose transfer ended well, its options cleared, its connection open.
    func give(_ handle: UnsafeMutableRawPointer) {
        curl_easy_reset(handle)
        let kept = lock.withLock {
            guard idle.count < 4 else { return false }
            idle.append(handle)
            return true
        }
        if !kept { curl_easy_cleanup(handle) }
    }

    deinit { idle.forEach { curl_easy_cleanup($0) } }
}
