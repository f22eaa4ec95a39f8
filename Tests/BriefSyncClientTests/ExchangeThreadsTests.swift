import Foundation
import Testing

@testable import BriefSyncClient

/// ``ExchangeThreads`` runs jobs side by side when they come together (a sync's next pull page
/// is requested while the previous one is still being read), though it keeps its threads.
@Suite struct ExchangeThreadsTests {
    /// Two jobs that each wait for the other: both finish only if they run at once. A pool that
    /// queued the second behind the first (one kept thread, no more started) would leave both
    /// waiting out their ten seconds.
    @Test func jobsThatComeTogetherRunTogether() {
        let threads = ExchangeThreads()
        let (first, second, done) = (
            DispatchSemaphore(value: 0), DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)
        )
        let met = Met()
        threads.run {
            first.signal()
            if second.wait(timeout: .now() + 10) == .success { met.mark() }
            done.signal()
        }
        threads.run {
            second.signal()
            if first.wait(timeout: .now() + 10) == .success { met.mark() }
            done.signal()
        }
        done.wait()
        done.wait()
        #expect(met.count == 2)
        // And a later job still runs, on a thread that waited for it.
        let later = DispatchSemaphore(value: 0)
        threads.run { later.signal() }
        #expect(later.wait(timeout: .now() + 10) == .success)
    }

    private final class Met: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func mark() { lock.withLock { value += 1 } }
        var count: Int { lock.withLock { value } }
    }
}
