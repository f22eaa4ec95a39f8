/// A backup, restore, export or import that cannot go on, in words an admin can act on.
public struct BackupError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable {
        private enum Value { case notABackup, damaged, refused, io }
        private let value: Value
        /// The file is not a BriefSync backup or export (or not one this version reads).
        public static let notABackup = Code(value: .notABackup)
        /// The file was one, but its bytes no longer match what was written.
        public static let damaged = Code(value: .damaged)
        /// The operation would overwrite or mix data; nothing was changed.
        public static let refused = Code(value: .refused)
        /// A file could not be read or written.
        public static let io = Code(value: .io)
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
