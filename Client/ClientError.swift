/// An error a person can act on, with a one-line message that says what was wrong and what to do.
public struct ClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure, for programs and tests.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String {
            case notInitialized, alreadyInitialized, notFound, ambiguousID, quoteNotFound, quoteAmbiguous
            case emptyDocument, invalidUTF8, fileUnreadable, invalidArgument, notLoggedIn
            case serverUnreachable, unauthorized, forbidden, server, editorFailed, tooLarge, refused
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }
        public var description: String { value.rawValue }

        public static let notInitialized = Code(.notInitialized)
        public static let alreadyInitialized = Code(.alreadyInitialized)
        public static let notFound = Code(.notFound)
        public static let ambiguousID = Code(.ambiguousID)
        public static let quoteNotFound = Code(.quoteNotFound)
        public static let quoteAmbiguous = Code(.quoteAmbiguous)
        public static let emptyDocument = Code(.emptyDocument)
        public static let invalidUTF8 = Code(.invalidUTF8)
        public static let fileUnreadable = Code(.fileUnreadable)
        public static let invalidArgument = Code(.invalidArgument)
        public static let notLoggedIn = Code(.notLoggedIn)
        public static let serverUnreachable = Code(.serverUnreachable)
        public static let unauthorized = Code(.unauthorized)
        public static let forbidden = Code(.forbidden)
        public static let server = Code(.server)
        public static let editorFailed = Code(.editorFailed)
        public static let tooLarge = Code(.tooLarge)
        /// A sync that finished but the server refused some changes (`brief rejected` lists them).
        public static let refused = Code(.refused)
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
