/// A storage failure or a refused store operation, in words an admin can act on; the HTTP layer
/// maps it to a status once (``SyncService``).
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable {
        private enum Value { case unwritable, full, damaged, unavailable, invalid, exists, notFound, lastOwner }
        private let value: Value
        public static let unwritable = Code(value: .unwritable)
        public static let full = Code(value: .full)
        public static let damaged = Code(value: .damaged)
        public static let unavailable = Code(value: .unavailable)
        /// A name or value breaks a rule (the message says which).
        public static let invalid = Code(value: .invalid)
        /// A user or team of that name (or an equivalent one) exists.
        public static let exists = Code(value: .exists)
        /// No such user, team or membership.
        public static let notFound = Code(value: .notFound)
        /// The change would leave a team without an owner.
        public static let lastOwner = Code(value: .lastOwner)
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
