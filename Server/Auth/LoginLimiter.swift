/// Limits failed logins per user name: after `maxFailures` within `window` ms, further attempts are
/// refused until the window has passed. A success clears the count.
actor LoginLimiter {
    let maxFailures: Int
    let window: Int64
    private var failures: [String: [Int64]] = [:]

    init(maxFailures: Int = 5, window: Int64 = 60_000) {
        self.maxFailures = maxFailures
        self.window = window
    }

    /// Milliseconds to wait before trying again, or `nil` if an attempt is allowed now.
    func retryAfter(_ key: String, now: Int64) -> Int64? {
        let recent = (failures[key] ?? []).filter { $0 > now - window }
        failures[key] = recent
        guard recent.count >= maxFailures, let oldest = recent.first else { return nil }
        return oldest + window - now
    }

    func failed(_ key: String, now: Int64) { failures[key, default: []].append(now) }

    func succeeded(_ key: String) { failures[key] = nil }
}
