import BriefSyncModel
import BriefSyncServer
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The PostgreSQL store: several `briefd` on one database behave as one server.
///
/// Everything two servers must agree on lives in the database: records, history, tokens (so a
/// revocation holds everywhere at once), login attempts and the epoch. Write transactions take
/// one transaction-scoped advisory lock first, so they are serialized across every server: the
/// sequence number a push takes becomes visible only after every lower one, and a pull cursor
/// never steps past a change that commits later. Reads run as `REPEATABLE READ`, one snapshot
/// each.
public final class PostgresSyncStore: RowStore {
    let client: PostgresClient
    let runner: Task<Void, Never>
    let logger: Logger
    public let address: PostgresAddress
    /// This store's name in change notices.
    let instance = UUID().uuidString
    public let groupCommit: GroupCommit?

    /// The advisory lock every write transaction holds ("briefd" + 1).
    static let writeLock: Int64 = 0x6272_6965_6664_0001
    /// The advisory lock held while migrating ("briefd" + 2).
    static let migrationLock: Int64 = 0x6272_6965_6664_0002

    /// Connects, migrates (under an advisory lock) and makes the epoch of a new database.
    /// - Throws: ``StoreError`` when the database cannot be reached or refuses.
    /// - Parameter groupCommit: whether concurrent pushes share a transaction (``GroupCommit``).
    public init(address: PostgresAddress, logger: Logger? = nil, groupCommit: Bool = true) async throws {
        self.address = address
        self.groupCommit = groupCommit ? GroupCommit() : nil
        let logger = logger ?? Self.quietLogger
        self.logger = logger
        // Without TLS, one direct attempt first says at once why a server refuses.
        if address.sslMode == "disable", let reason = await Self.diagnose(address, logger: logger) {
            throw StoreError(.unavailable, "PostgreSQL at \(address) refused: \(reason)")
        }
        let client = PostgresClient(configuration: address.configuration, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
        do {
            // A deadline: the pool would otherwise retry an address nobody answers at for a minute.
            try await Self.withDeadline(seconds: 30, what: "connect to \(address)") { [self] in
                try await migrate()
            }
            try await prepareMeta()
        } catch {
            runner.cancel()
            if let reason = await Self.diagnose(address, logger: logger) {
                throw StoreError(.unavailable, "PostgreSQL at \(address) refused: \(reason)")
            }
            throw Self.storeError(error, address: address)
        }
    }

    /// Why a connection fails, in PostgreSQL's words, from one direct attempt without TLS (the
    /// pool only says that it gave up); `nil` when that attempt works or says nothing useful.
    static func diagnose(_ address: PostgresAddress, logger: Logger) async -> String? {
        let config = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password,
            database: address.database, tls: .disable)
        do {
            let connection = try await withDeadline(seconds: 5, what: "connect") {
                try await PostgresConnection.connect(configuration: config, id: 0, logger: logger)
            }
            try? await connection.close()
            return nil
        } catch let error as PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "nothing answers on \(address.host):\(address.port); is PostgreSQL running there?"
        } catch {
            return nil
        }
    }

    deinit { runner.cancel() }

    /// The pool's own logger: errors only (the store reports what matters as ``StoreError``).
    static var quietLogger: Logger {
        var logger = Logger(label: "briefd.postgres")
        logger.logLevel = .error
        return logger
    }

    /// Stops the connection pool.
    public func close() async {
        runner.cancel()
        _ = await runner.value
    }

    func migrate() async throws {
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(Self.migrationLock))", logger: self.logger)
            do {
                try await connection.query(
                    "CREATE TABLE IF NOT EXISTS briefd_migrations(name TEXT PRIMARY KEY)", logger: self.logger)
                var done = Set<String>()
                for try await name in try await connection.query(
                    "SELECT name FROM briefd_migrations", logger: self.logger
                ).decode(String.self) {
                    done.insert(name)
                }
                for migration in PostgresSchema.migrations where !done.contains(migration.name) {
                    try await connection.withTransaction(logger: self.logger) { tx in
                        for sql in migration.sql {
                            try await tx.query(PostgresQuery(unsafeSQL: sql), logger: self.logger)
                        }
                        try await tx.query(
                            "INSERT INTO briefd_migrations(name) VALUES (\(migration.name))", logger: self.logger)
                    }
                }
            } catch {
                _ = try? await connection.query(
                    "SELECT pg_advisory_unlock(\(Self.migrationLock))", logger: self.logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(\(Self.migrationLock))", logger: self.logger)
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", lock: false, body)
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN ISOLATION LEVEL READ COMMITTED", lock: true, body)
    }

    private func transaction<T: Sendable>(
        begin: String, lock: Bool, _ body: @escaping @Sendable (PostgresTransaction) throws -> T
    ) async throws -> T {
        let logger = logger
        let instance = instance
        do {
            return try await client.withConnection { connection in
                try await Self.onThread {
                    let tx = PostgresTransaction(connection: connection, logger: logger, instance: instance)
                    try tx.run(PostgresQuery(unsafeSQL: begin))
                    do {
                        if lock { try tx.run("SELECT pg_advisory_xact_lock(\(Self.writeLock))") }
                        let result = try body(tx)
                        try tx.run("COMMIT")
                        return result
                    } catch {
                        _ = try? tx.run("ROLLBACK")
                        throw error
                    }
                }
            }
        } catch let error as StoreError {
            throw error
        } catch let error as PSQLError {
            throw Self.storeError(error)
        } catch {
            throw error
        }
    }

    /// Runs blocking work on a thread of its own, off Swift's cooperative pool.
    static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    static func withDeadline<T: Sendable>(
        seconds: Int, what: String, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw StoreError(.unavailable, "could not \(what) within \(seconds) s; is PostgreSQL running there?")
            }
            return value
        }
    }

    /// A PostgreSQL failure as an admin can act on it.
    static func storeError(_ error: PSQLError) -> StoreError {
        let message = error.serverInfo?[.message] ?? "\(error.code)"
        switch error.serverInfo?[.sqlState] {
        case "53100": return StoreError(.full, "PostgreSQL's disk is full (\(message)); nothing was applied")
        case "23505": return StoreError(.exists, "already exists: \(message)")
        case "25006", "42501": return StoreError(.unwritable, "PostgreSQL refused the write: \(message)")
        case "XX001", "XX002": return StoreError(.damaged, "PostgreSQL reports damaged data: \(message)")
        default: return StoreError(.unavailable, "PostgreSQL failed: \(message)")
        }
    }

    static func storeError(_ error: any Error, address: PostgresAddress) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return StoreError(.unavailable, "PostgreSQL at \(address) refused: \(message)")
            }
            return StoreError(.unavailable, "cannot reach PostgreSQL at \(address) (\(error.code)); is it running?")
        }
        return StoreError(
            .unavailable, "cannot reach PostgreSQL at \(address); is it running, and is the address right?")
    }
}
