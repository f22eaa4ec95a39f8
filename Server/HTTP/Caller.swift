import BriefSyncModel

/// Who a request comes from, as ``AuthMiddleware`` found them: the user behind the bearer token,
/// their memberships at that moment, and the token's hash (never the token).
public struct Caller: Sendable {
    public var user: ServerUser
    public var memberships: [Wire.Membership]
    public var tokenHash: String
}
