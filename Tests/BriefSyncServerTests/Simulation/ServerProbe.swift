import BriefSyncPostgres
import GRDB

@testable import BriefSyncServer

/// Reads a server's tables directly, whatever its backend, for the simulation's checks.
struct ServerProbe {
    let store: any SyncStore

    /// Queries for the three things the checks read; the same SQL on both backends.
    static let statesSQL = "SELECT state FROM records ORDER BY id"
    static let refusalsSQL = "SELECT replica, reason FROM mutations WHERE status = 'rejected'"
    static let documentsSQL = """
        SELECT state FROM records UNION ALL SELECT state FROM versions
        UNION ALL SELECT body FROM mutations WHERE status = 'applied'
        """

    /// Every record's state, by id (byte-wise).
    func states() async throws -> [String] {
        if let sqlite = store as? SQLiteSyncStore {
            return try await sqlite.pool.read { try String.fetchAll($0, sql: Self.statesSQL) }
        }
        let pg = store as! PostgresSyncStore
        return try await pg.read { try $0.all(String.self, sql: #"SELECT state FROM records ORDER BY id COLLATE "C""#) }
    }

    /// The replica and reason of every refused mutation.
    func refusals() async throws -> [(String, String)] {
        if let sqlite = store as? SQLiteSyncStore {
            return try await sqlite.pool.read {
                try Row.fetchAll($0, sql: Self.refusalsSQL).map { ($0["replica"] as String, $0["reason"] as String) }
            }
        }
        let pg = store as! PostgresSyncStore
        let rows = try await pg.read { try $0.all((String, String).self, sql: Self.refusalsSQL) }
        return rows.map { ($0.0, $0.1) }
    }

    /// Every state, version and applied mutation body the server holds.
    func documents() async throws -> [String] {
        if let sqlite = store as? SQLiteSyncStore {
            return try await sqlite.pool.read { try String.fetchAll($0, sql: Self.documentsSQL) }
        }
        let pg = store as! PostgresSyncStore
        return try await pg.read { try $0.all(String.self, sql: Self.documentsSQL) }
    }
}
