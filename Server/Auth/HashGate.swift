/// Lets at most `permits` password hashes run at once, so a burst of logins cannot take every
/// core (PBKDF2 at 210,000 rounds costs ~0.13 s of CPU each).
actor HashGate {
    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(permits: Int) { available = permits }

    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            available += 1
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// Runs `body` holding a permit.
    nonisolated func run<T: Sendable>(_ body: @Sendable () throws -> T) async rethrows -> T {
        await acquire()
        do {
            let result = try body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }
}
