import ArgumentParser
import BriefSyncModel
import BriefSyncPostgres
import BriefSyncServer
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// `briefd`: the BriefSync server and its admin commands.
@main
struct Briefd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "briefd",
        abstract: "The BriefSync sync server.",
        discussion: """
            briefd serve --data /var/lib/briefd --port 8080
            echo 'secret' | briefd user add alice --password-stdin
            briefd team add analysts && briefd team add-member analysts alice --role owner
            """,
        subcommands: [
            Serve.self, UserCommand.self, TeamCommand.self, BackupCommand.self, RestoreCommand.self,
            ExportCommand.self, ImportCommand.self,
        ])

    static func main() async {
        // Everything briefd writes (database, journals, backups, exports) holds password and
        // token hashes: readable by this user only, from the first byte.
        umask(0o077)
        do {
            var command = try parseAsRoot()
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let error where said(error) != nil {
            FileHandle.standardError.write(Data("error: \(said(error)!)\n".utf8))
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// The message of an error that already says what was wrong and what to do (printed as
/// `error: …`, exit 1); `nil` for parser and unexpected errors.
func said(_ error: any Error) -> String? {
    switch error {
    case let e as APIError: e.message
    case let e as StoreError: e.message
    case let e as BackupError: e.message
    case let e as AdminError: e.message
    default: nil
    }
}

/// `--data DIR`, else `$BRIEFD_DATA`, else `./briefd-data`; or `--database postgres://…`
/// (else `$BRIEFD_DATABASE`) for a PostgreSQL store.
struct DataOptions: ParsableArguments {
    @Option(help: "The data folder (default: $BRIEFD_DATA, else ./briefd-data).")
    var data: String?
    @Option(
        help: ArgumentHelp(
            "A PostgreSQL database instead of the data folder (default: $BRIEFD_DATABASE).",
            valueName: "postgres://USER[:PASSWORD]@HOST[:PORT]/DB"))
    var database: String?

    /// The PostgreSQL address, when one is given.
    var postgres: String? {
        if let database { return database }
        if let env = ProcessInfo.processInfo.environment["BRIEFD_DATABASE"], !env.isEmpty { return env }
        return nil
    }

    var url: URL {
        if let data { return URL(fileURLWithPath: data) }
        if let env = ProcessInfo.processInfo.environment["BRIEFD_DATA"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return URL(fileURLWithPath: "briefd-data")
    }

    /// The store the options name: PostgreSQL when an address is given, else the data folder.
    func store() async throws -> any SyncStore {
        if let postgres { return try await PostgresSyncStore(address: try PostgresAddress(postgres)) }
        return try SQLiteSyncStore(folder: url)
    }

    /// The embedded store, for what only it can do (`what` names the command).
    func sqliteStore(for what: String) throws -> SQLiteSyncStore {
        if postgres != nil {
            throw AdminError(
                "\(what) works on the embedded store's data folder; with PostgreSQL use pg_dump and WAL archiving, or 'briefd export --team' (docs/operations.md)"
            )
        }
        return try SQLiteSyncStore(folder: url)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the sync API until SIGTERM or SIGINT.")
    @OptionGroup var data: DataOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one and prints it).") var port = 8080
    @Option(help: "Take scheduled backups into this folder (each verified after writing).")
    var backupDir: String?
    @Option(help: "Time between scheduled backups: 90s, 30m, 1h, 1d.") var backupEvery = "1h"
    @Option(help: "Scheduled backups to keep; older ones are removed.") var backupKeep = 48

    func validate() throws {
        guard BackupSchedule.seconds(backupEvery) != nil else {
            throw ValidationError("--backup-every takes a duration such as 90s, 30m, 1h or 1d")
        }
        guard backupKeep >= 1 else { throw ValidationError("--backup-keep must be at least 1") }
    }

    func run() async throws {
        if data.postgres != nil, backupDir != nil {
            throw AdminError(
                "--backup-dir backs up the embedded store; with PostgreSQL use pg_dump and WAL archiving (docs/operations.md)"
            )
        }
        // The store first: it explains a folder or database that cannot be used.
        let store = try await data.store()
        // Only the embedded store's folder is this process's alone.
        let lock = data.postgres == nil ? try DataLock(folder: data.url) : nil
        defer { lock?.release() }
        var logger = Logger(label: "briefd")
        logger.logLevel = .notice
        let clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
        let status = backupDir.map { _ in BackupStatus() }
        let service = SyncService(store: store, backups: status, now: clock)
        let schedule = try backupDir.map {
            BackupSchedule(
                store: try data.sqliteStore(for: "--backup-dir"), folder: URL(fileURLWithPath: $0),
                every: BackupSchedule.seconds(backupEvery) ?? 3600,
                keep: backupKeep, status: status!, logger: logger, now: clock)
        }
        let location = (try? data.postgres.map { try PostgresAddress($0).description }) ?? data.url.path
        let app = BriefServer.application(service: service, host: host, port: port, logger: logger) { port in
            FileHandle.standardOutput.write(
                Data("briefd listening on http://\(host):\(port) (data: \(location))\n".utf8))
        }
        let backups = Task { await schedule?.run() }
        defer { backups.cancel() }
        do {
            try await app.runService()
        } catch {
            if let problem = BriefServer.listenProblem(error, host: host, port: port) { throw AdminError(problem) }
            throw error
        }
    }
}

/// An admin command's failure, said in words: printed as `error: …` with exit 1 (no usage line).
struct AdminError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
