import BriefSyncPostgres
import BriefSyncServer
import Foundation
import Testing

/// A store backend the tests run against.
///
/// SQLite always. PostgreSQL when `BRIEFSYNC_TEST_POSTGRES` names a server where the tests may
/// create databases (`postgres://USER@HOST:PORT/postgres?sslmode=disable`); `.ci/run` starts a
/// throwaway one and sets it, and under `CI=true` its absence fails the run
/// (``BackendTests/postgresIsTestedInCI()``), so the PostgreSQL cases never silently stop running.
enum TestBackend: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static let environmentKey = "BRIEFSYNC_TEST_POSTGRES"

    /// The PostgreSQL server the tests may use.
    static var postgresAdmin: PostgresAddress? {
        guard let text = ProcessInfo.processInfo.environment[environmentKey], !text.isEmpty else { return nil }
        return try? PostgresAddress(text)
    }

    /// Every backend this run can test.
    static var all: [TestBackend] { postgresAdmin == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }

    /// A new, empty store in `folder` (SQLite) or in a new database (PostgreSQL).
    func makeStore(folder: URL) async throws -> TestStore {
        switch self {
        case .sqlite:
            return TestStore(store: try SQLiteSyncStore(folder: folder), postgres: nil)
        case .postgres:
            guard let admin = Self.postgresAdmin else { throw CocoaError(.featureUnsupported) }
            let name =
                "briefsync_test_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
            try await PostgresSyncStore.administer("CREATE DATABASE \(name)", admin: admin)
            let address = PostgresSyncStore.address(admin, database: name)
            return TestStore(store: try await PostgresSyncStore(address: address), postgres: address)
        }
    }
}

/// A store made for one test, and how to make another server's store on the same database.
struct TestStore: Sendable {
    let store: any SyncStore
    /// The PostgreSQL database, when that is the backend.
    let postgres: PostgresAddress?

    /// Another store on the same database, as a second `briefd` would open it.
    func another() async throws -> any SyncStore {
        guard let postgres else { return store }
        return try await PostgresSyncStore(address: postgres)
    }

    /// Closes the store and drops a PostgreSQL database.
    func drop() async {
        guard let postgres, let admin = TestBackend.postgresAdmin else { return }
        await (store as? PostgresSyncStore)?.close()
        try? await PostgresSyncStore.administer(
            "DROP DATABASE IF EXISTS \(postgres.database) WITH (FORCE)", admin: admin)
    }
}

@Suite struct BackendTests {
    /// CI runs every backend: a missing PostgreSQL there is a failure, not a skip.
    @Test func postgresIsTestedInCI() {
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            #expect(
                TestBackend.postgresAdmin != nil,
                "CI=true but \(TestBackend.environmentKey) is unset: .ci/run starts PostgreSQL and sets it")
        }
    }
}
