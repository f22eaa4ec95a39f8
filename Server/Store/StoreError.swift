/// A storage failure, in words an admin can act on; the HTTP layer maps it to a status once.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable {
        private enum Value { case unwritable, full, damaged, unavailable }
        private let value: Value
        public static let unwritable = Code(value: .unwritable)
        public static let full = Code(value: .full)
        public static let damaged = Code(value: .damaged)
        public static let unavailable = Code(value: .unavailable)
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
