/// Limits login attempts before any password is checked.
///
/// Every attempt is counted when it arrives, before the deliberately slow hash, so concurrent
/// guesses cannot slip past the count. Two budgets per `window`: `perUser` attempts for one user
/// name from one client address (so nobody elsewhere can lock an owner out by typing their
/// name), and `perAddress` attempts from one address across all names. A success clears its
/// user-and-address count.
actor LoginLimiter {
    let perUser: Int
    let perAddress: Int
    let window: Int64
    private var attempts: [String: [Int64]] = [:]

    init(perUser: Int = 5, perAddress: Int = 20, window: Int64 = 60_000) {
        self.perUser = perUser
        self.perAddress = perAddress
        self.window = window
    }

    private static func userKey(_ user: String, _ address: String) -> String { "u\u{1F}\(user)\u{1F}\(address)" }
    private static func addressKey(_ address: String) -> String { "a\u{1F}\(address)" }

    /// Counts an attempt and returns `nil` if it may go on, else the milliseconds to wait.
    func admit(user: String, address: String, now: Int64) -> Int64? {
        let keys = [(Self.userKey(user, address), perUser), (Self.addressKey(address), perAddress)]
        var wait: Int64? = nil
        for (key, limit) in keys {
            let recent = (attempts[key] ?? []).filter { $0 > now - window }
            attempts[key] = recent.isEmpty ? nil : recent
            if recent.count >= limit, let oldest = recent.first {
                wait = max(wait ?? 0, oldest + window - now)
            }
        }
        if wait != nil { return wait }
        for (key, _) in keys { attempts[key, default: []].append(now) }
        if attempts.count > 100_000 { prune(now: now) }
        return nil
    }

    /// The attempt was right: it no longer counts against the user.
    func succeeded(user: String, address: String) {
        attempts[Self.userKey(user, address)] = nil
        let key = Self.addressKey(address)
        if var list = attempts[key], !list.isEmpty {
            list.removeLast()
            attempts[key] = list.isEmpty ? nil : list
        }
    }

    /// Drops expired entries so memory stays bounded under a flood of names.
    private func prune(now: Int64) {
        attempts = attempts.compactMapValues { list in
            let recent = list.filter { $0 > now - window }
            return recent.isEmpty ? nil : recent
        }
    }
}
