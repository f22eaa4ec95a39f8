/// The login limit for one attempt, checked before any password is.
///
/// Attempts are counted in the database when they arrive, before the deliberately slow hash, so
/// concurrent guesses cannot slip past the count and every server on one database shares the
/// count. Two budgets per `window`: `perUser` attempts for one user name from one client address
/// (so nobody elsewhere can lock an owner out by typing their name), and `perAddress` attempts
/// from one address across all names. A success clears its user-and-address count.
public struct LoginRule: Sendable {
    public var user: String
    public var address: String
    public var perUser = 5
    public var perAddress = 20
    public var window: Int64 = 60_000

    public init(user: String, address: String) {
        self.user = user
        self.address = address
    }

    /// Keys hold a unit separator, which names and addresses cannot contain.
    var userKey: String { "u\u{1F}\(user)\u{1F}\(address)" }
    var addressKey: String { "a\u{1F}\(address)" }

    /// Counts an attempt and returns `nil` if it may go on, else the milliseconds to wait.
    func admit(_ tx: some StoreTransaction, now: Int64) throws -> Int64? {
        try tx.pruneLoginAttempts(before: now - window)
        var wait: Int64? = nil
        for (key, limit) in [(userKey, perUser), (addressKey, perAddress)] {
            let recent = try tx.loginAttempts(key: key)
            if recent.count >= limit, let oldest = recent.first {
                wait = max(wait ?? 0, oldest + window - now)
            }
        }
        if wait != nil { return wait }
        try tx.addLoginAttempt(key: userKey, at: now)
        try tx.addLoginAttempt(key: addressKey, at: now)
        return nil
    }

    /// The attempt was right: it no longer counts against the user or the address.
    func succeeded(_ tx: some StoreTransaction) throws {
        try tx.clearLoginAttempts(key: userKey)
        try tx.dropNewestLoginAttempt(key: addressKey)
    }
}
