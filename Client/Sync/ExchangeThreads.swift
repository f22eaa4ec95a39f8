import Foundation

/// Threads for ``SocketTransport``'s blocking exchanges, kept for the next request.
///
/// A thread per request cost each one a `clone`, a fresh malloc arena (a 128 MiB reservation
/// and its trim) and an exit: ~0.1–0.5 ms on the way from a poke to its pull in `brief sync
/// --watch`, and once more per request in every `brief sync`. A thread here waits for the next
/// job instead; one more is started whenever more jobs wait than threads are idle, so the
/// overlapping pull pages still run side by side. They live as long as the process (at most as
/// many as requests ever ran at once: two per sync).
final class ExchangeThreads: @unchecked Sendable {
    static let shared = ExchangeThreads()

    init() {}

    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var idle = 0

    /// Runs `job` on a waiting thread, or on a new one if none is free.
    func run(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        let start = jobs.count > idle
        condition.signal()
        condition.unlock()
        if start { Thread.detachNewThread { self.serve() } }
    }

    private func serve() {
        while true {
            condition.lock()
            while jobs.isEmpty {
                idle += 1
                condition.wait()
                idle -= 1
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
