import BriefSyncModel
import CCurl
import Foundation

extension CurlTransport {
    /// `GET path` as a Server-Sent Events stream, on a thread of its own. A connection that
    /// carries no byte (not even a heartbeat) for `stallSeconds` is given up as dead.
    public func events(path: String, token: String) -> AsyncThrowingStream<Wire.ServerEvent, any Error> {
        let url = server + path
        let stall = stallSeconds
        return AsyncThrowingStream { continuation in
            let sink = EventSink(continuation)
            continuation.onTermination = { _ in sink.cancel() }
            Thread.detachNewThread { sink.run(url: url, token: token, stallSeconds: stall) }
        }
    }
}

/// One event stream's state, shared between libcurl's callback thread and the consumer.
final class EventSink: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var parser = Wire.EventStreamParser()
    private var refusedBody = Data()
    private var status = 0
    private let continuation: AsyncThrowingStream<Wire.ServerEvent, any Error>.Continuation

    init(_ continuation: AsyncThrowingStream<Wire.ServerEvent, any Error>.Continuation) {
        self.continuation = continuation
    }

    func cancel() { lock.withLock { cancelled = true } }
    var isCancelled: Bool { lock.withLock { cancelled } }

    /// Takes bytes from libcurl; `false` stops the transfer.
    func receive(_ bytes: UnsafeRawBufferPointer, status: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if cancelled { return false }
        self.status = status
        guard status == 200 else {
            if refusedBody.count < 64 * 1024 { refusedBody.append(contentsOf: bytes.prefix(64 * 1024)) }
            return true
        }
        for event in parser.feed(bytes) { continuation.yield(event) }
        return true
    }

    func run(url: String, token: String, stallSeconds: Int) {
        guard CurlTransport.initialized, let handle = curl_easy_init() else {
            continuation.finish(throwing: TransportError(description: "libcurl did not start"))
            return
        }
        defer { curl_easy_cleanup(handle) }
        var headers: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headers) }
        headers = curl_slist_append(headers, "Accept: text/event-stream")
        headers = curl_slist_append(headers, "Authorization: Bearer \(token)")
        let context = Unmanaged.passUnretained(self).toOpaque()
        let code = withExtendedLifetime(self) { () -> CURLcode in
            _ = briefsync_setopt_string(handle, CURLOPT_URL, url)
            _ = briefsync_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headers))
            _ = briefsync_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            _ = briefsync_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, 10)
            _ = briefsync_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
            _ = briefsync_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, stallSeconds)
            _ = briefsync_setopt_write(
                handle,
                { data, size, count, context in
                    guard let data, let context else { return 0 }
                    let sink = Unmanaged<EventSink>.fromOpaque(context).takeUnretainedValue()
                    let bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(data), count: size * count)
                    // The status is known once the head has arrived, before any body byte.
                    return sink.receive(bytes, status: sink.currentStatus) ? size * count : 0
                }, context)
            currentHandle = handle
            defer { currentHandle = nil }
            return curl_easy_perform(handle)
        }
        let status = lock.withLock { self.status }
        if isCancelled {
            continuation.finish()
        } else if code != CURLE_OK, status == 200 || status == 0 {
            continuation.finish(throwing: TransportError(description: String(cString: curl_easy_strerror(code))))
        } else if status != 200 {
            continuation.finish(throwing: EventStreamRefused(status: status, body: lock.withLock { refusedBody }))
        } else {
            continuation.finish()
        }
    }

    /// The handle of the running transfer (read by the write callback on the same thread).
    private var currentHandle: UnsafeMutableRawPointer?
    var currentStatus: Int { currentHandle.map { Int(briefsync_response_code($0)) } ?? 0 }
}
