import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Wakes whenever a file in a folder is written, by any process (`inotify` on Linux).
///
/// `brief sync --watch` uses it to learn at once that another `brief` command committed to the
/// replica, instead of at its next poll. A wake only says "look again": the watcher reads the
/// outbox's mark to see whether there is anything to push, so spurious wakes (its own writes)
/// cost one small read each and a merged burst loses nothing.
enum FolderWrites {
    /// Wakes for writes in `folder`, or `nil` where the system cannot watch it (the caller then
    /// relies on polling alone). Bursts are merged into one wake.
    static func wakes(_ folder: URL) -> AsyncStream<Void>? {
        #if os(Linux)
            let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard fd >= 0 else { return nil }
            // A commit writes WAL frames (IN_MODIFY); a writer closing the file (a `brief`
            // command exiting after its commit, when the change is surely visible to readers)
            // gives IN_CLOSE_WRITE; a WAL made anew, IN_CREATE or IN_MOVED_TO.
            let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO)
            guard inotify_add_watch(fd, folder.path, mask) >= 0 else {
                close(fd)
                return nil
            }
            let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
            let source = DispatchSource.makeReadSource(
                fileDescriptor: fd, queue: DispatchQueue(label: "brief.folder-writes"))
            source.setEventHandler {
                // Drain every queued event (the fd is non-blocking); their names do not matter.
                var buffer = [UInt8](repeating: 0, count: 4096)
                while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
                continuation.yield()
            }
            source.setCancelHandler { close(fd) }
            let cancel = SourceCanceller(source)
            continuation.onTermination = { _ in cancel.cancel() }
            source.resume()
            return stream
        #else
            return nil
        #endif
    }

    /// Holds a dispatch source for a `@Sendable` termination handler (cancelling is thread-safe).
    private final class SourceCanceller: @unchecked Sendable {
        private let source: any DispatchSourceProtocol
        init(_ source: any DispatchSourceProtocol) { self.source = source }
        func cancel() { source.cancel() }
    }
}
