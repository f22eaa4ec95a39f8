import GRDB

/// An error a person can act on, with a one-line message that says what was wrong and what to do.
public struct ClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure, for programs and tests.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String {
            case notInitialized, alreadyInitialized, notFound, ambiguousID, quoteNotFound, quoteAmbiguous
            case emptyDocument, invalidUTF8, fileUnreadable, invalidArgument, notLoggedIn
            case serverUnreachable, unauthorized, forbidden, server, editorFailed, tooLarge, refused, epochChanged
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
        /// The server was restored from a backup since this replica last synced.
        public static let epochChanged = Code(.epochChanged)
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

extension ClientError {
    /// A person-readable error for failures below the replica's own checks: the disk, the
    /// database file, or bytes in it this version cannot read. `nil` for anything else.
    public static func describing(_ error: any Error, replica home: String) -> ClientError? {
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_FULL:
                return ClientError(
                    .fileUnreadable, "the disk holding \(home) is full; free some space and try again (nothing changed)"
                )
            case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
                return ClientError(
                    .fileUnreadable,
                    "the replica at \(home) cannot be written (read-only file or folder); fix its permissions (nothing changed)"
                )
            case .SQLITE_CORRUPT, .SQLITE_NOTADB:
                return ClientError(
                    .fileUnreadable,
                    "the replica at \(home) is damaged (\(error.message ?? "not a database")); move it aside and set up a new one with 'brief init' and 'brief login', then 'brief sync'"
                )
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return ClientError(
                    .fileUnreadable,
                    "the replica at \(home) is busy in another brief command; try again when it is done")
            case .SQLITE_IOERR, .SQLITE_CANTOPEN:
                return ClientError(
                    .fileUnreadable,
                    "cannot read or write the replica at \(home) (\(error.message ?? "I/O error")); check the disk (nothing changed)"
                )
            default:
                return ClientError(
                    .fileUnreadable,
                    "the replica at \(home) failed: \(error.message ?? "SQLite error \(error.resultCode.rawValue)") (nothing changed)"
                )
            }
        }
        if error is DecodingError {
            return ClientError(
                .fileUnreadable,
                "the replica at \(home) holds data this version cannot read (damaged, or written by a newer version); move it aside and set up a new one with 'brief init' and 'brief login', then 'brief sync'"
            )
        }
        return nil
    }
}
