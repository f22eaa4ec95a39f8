import GRDB
import GRDBSQLite

/// A cached write statement bound and run with SQLite's own calls, for the statements a pulled
/// page runs once per record (thousands per clone).
///
/// GRDB's `execute(arguments:)` boxes every argument in an existential array, looks the
/// statement up by hashing its SQL, and checks its observation and cancellation state at every
/// step: 60 % of the Swift time of applying a page (issue 12), against a few calls here. What
/// it skips is safe for these statements: they run inside a transaction GRDB opened (so no
/// autocommit transition), nothing observes changes to their tables (the client uses no
/// `ValueObservation`; a test's commit counter sees commits, which SQLite's commit hook reports
/// however the statements ran), and a failure throws, which rolls the whole transaction back.
struct BulkStatement {
    private let statement: Statement
    private var handle: SQLiteStatement { statement.sqliteStatement }

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
    }

    /// Binds parameter `index` (1-based) to a text, by its exact UTF-8 length (a NUL in it is
    /// kept, not a terminator).
    func bind(_ index: Int32, _ value: String) throws {
        var value = value
        let code = value.withUTF8 { utf8 -> Int32 in
            guard let base = utf8.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, nil) }
            guard let count = Int32(exactly: utf8.count) else { return SQLITE_TOOBIG }
            return sqlite3_bind_text(handle, index, base, count, Self.transient)
        }
        try check(code)
    }

    func bind(_ index: Int32, _ value: Int64) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    func bind(_ index: Int32, _ value: Bool) throws {
        try check(sqlite3_bind_int64(handle, index, value ? 1 : 0))
    }

    func bind(_ index: Int32, _ value: Int64?) throws {
        guard let value else { return try check(sqlite3_bind_null(handle, index)) }
        try bind(index, value)
    }

    func bind(_ index: Int32, _ value: String?) throws {
        guard let value else { return try check(sqlite3_bind_null(handle, index)) }
        try bind(index, value)
    }

    /// Runs the statement to its end, then resets it (its bindings are replaced by the next run).
    func run() throws {
        var code = sqlite3_step(handle)
        while code == SQLITE_ROW { code = sqlite3_step(handle) }
        let reset = sqlite3_reset(handle)
        guard code == SQLITE_DONE else { throw error(code) }
        try check(reset)
    }

    /// Runs a statement that answers one integer (a count, a `max`), then resets it.
    func integer() throws -> Int64 {
        let code = sqlite3_step(handle)
        let value = code == SQLITE_ROW ? sqlite3_column_int64(handle, 0) : 0
        let reset = sqlite3_reset(handle)
        guard code == SQLITE_ROW else { throw error(code == SQLITE_DONE ? SQLITE_MISUSE : code) }
        try check(reset)
        return value
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw error(code) }
    }

    private func error(_ code: Int32) -> DatabaseError {
        let message = sqlite3_db_handle(handle).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the bound bytes before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
