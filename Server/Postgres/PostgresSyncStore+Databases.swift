import BriefSyncServer
import PostgresNIO

extension PostgresSyncStore {
    /// Runs one statement on the server `admin` points at, outside any transaction (for
    /// `CREATE DATABASE` and `DROP DATABASE`, which cannot run inside one).
    package static func administer(_ sql: String, admin: PostgresAddress) async throws {
        let client = PostgresClient(configuration: admin.configuration, backgroundLogger: quietLogger)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        do {
            try await withDeadline(seconds: 15, what: "connect to \(admin)") {
                try await client.query(PostgresQuery(unsafeSQL: sql))
                return true
            }
        } catch let error as PSQLError {
            throw storeError(error)
        }
    }

    /// `admin` with another database name.
    package static func address(_ admin: PostgresAddress, database: String) -> PostgresAddress {
        var address = admin
        address.database = database
        return address
    }
}
