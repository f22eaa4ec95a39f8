import ArgumentParser
import BriefSyncClient
import BriefSyncModel
import BriefSyncPostgres
import BriefSyncServer
import Foundation
import Logging
import Metrics
import Prometheus

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
        version: BriefdVersion.text,
        subcommands: [Serve.self, DemoCommand.self],
        groupedSubcommands: [
            CommandGroup(name: "Accounts", subcommands: [UserCommand.self, TeamCommand.self, StatsCommand.self]),
            CommandGroup(
                name: "Backups and moves",
                subcommands: [BackupCommand.self, RestoreCommand.self, ExportCommand.self, ImportCommand.self]),
        ])

    static func main() async {
        // Everything briefd writes (database, journals, backups, exports) holds password and
        // token hashes: readable by this user only, from the first byte.
        umask(0o077)
        do {
            var command = try parseAsRoot()
            // Logs go through swift-log, set up once, before any logger exists.
            let environment = ProcessInfo.processInfo.environment
            if let serve = command as? Serve {
                let settings = try serve.settings()
                LoggingSystem.bootstrap { label in
                    LogLineHandler(label: label, format: settings.logFormat, level: settings.logLevel)
                }
            } else {
                let format = environment["BRIEFD_LOG_FORMAT"].flatMap(LogLineHandler.Format.init) ?? .text
                LoggingSystem.bootstrap { LogLineHandler(label: $0, format: format, level: .warning) }
            }
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
    case let e as ServeSettings.Problem: e.description
    case let e as ClientError: e.message
    default: nil
    }
}

/// `--data DIR`, else `$BRIEFD_DATA`, else `$STATE_DIRECTORY` or `/var/lib/briefd`; or
/// `--database postgres://…` (else `$BRIEFD_DATABASE`) for a PostgreSQL store.
struct DataOptions: ParsableArguments {
    @Option(help: "The data folder (default: $BRIEFD_DATA, else $STATE_DIRECTORY, else /var/lib/briefd).")
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
        let environment = ProcessInfo.processInfo.environment
        if let env = environment["BRIEFD_DATA"], !env.isEmpty { return URL(fileURLWithPath: env) }
        return URL(fileURLWithPath: ServeSettings.defaultData(environment))
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
    static let configuration = CommandConfiguration(
        abstract: "Serve the sync API until SIGTERM or SIGINT.",
        discussion: "Every option has an environment variable:\n"
            + ServeSettings.variables.map { "  \($0.environment) = \($0.flag) (default: \($0.defaultValue))" }
            .joined(separator: "\n"))
    @OptionGroup var data: DataOptions
    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on; 0 picks a free one and prints it (default 8080).") var port: Int?
    @Option(help: "Take scheduled backups into this folder (each verified after writing).")
    var backupDir: String?
    @Option(help: "Time between scheduled backups: 90s, 30m, 1h, 1d (default 1h).") var backupEvery: String?
    @Option(help: "Scheduled backups to keep; older ones are removed (default 48).") var backupKeep: Int?
    @Option(help: "trace, debug, info, notice, warning, error or critical (default info).") var logLevel: String?
    @Option(help: "text or json, one event per line on standard error (default text).") var logFormat: String?
    @Flag(
        inversion: .prefixedNo,
        help: "Take the client's address from X-Forwarded-For (only behind a proxy that sets it).")
    var trustProxy: Bool?
    @Flag(
        inversion: .prefixedNo,
        help: "Let concurrent pushes share one transaction and its fsync (default on; off only to compare).")
    var groupCommit: Bool?

    func settings() throws -> ServeSettings {
        var flags = ServeSettings.Flags()
        flags.data = data.data
        flags.database = data.database
        flags.host = host
        flags.port = port
        flags.backupDir = backupDir
        flags.backupEvery = backupEvery
        flags.backupKeep = backupKeep
        flags.logLevel = logLevel
        flags.logFormat = logFormat
        flags.trustProxy = trustProxy
        flags.groupCommit = groupCommit
        return try ServeSettings.resolve(flags, environment: ProcessInfo.processInfo.environment)
    }

    func run() async throws {
        let settings = try settings()
        if settings.database != nil, settings.backupDir != nil {
            throw AdminError(
                "--backup-dir backs up the embedded store; with PostgreSQL use pg_dump and WAL archiving (docs/operations.md)"
            )
        }
        let logger = Logger(label: "briefd")
        // The store first: it explains a folder or database that cannot be used.
        let store: any SyncStore
        let folder = URL(fileURLWithPath: settings.data)
        if let database = settings.database {
            store = try await PostgresSyncStore(
                address: try PostgresAddress(database), groupCommit: settings.groupCommit)
        } else {
            store = try SQLiteSyncStore(folder: folder, groupCommit: settings.groupCommit)
        }
        // Only the embedded store's folder is this process's alone.
        let lock = settings.database == nil ? try DataLock(folder: folder) : nil
        defer { lock?.release() }
        let clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
        let status = settings.backupDir.map { _ in BackupStatus() }
        let metrics = ServerMetrics()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
        let service = SyncService(store: store, backups: status, metrics: metrics, logger: logger, now: clock)
        let schedule = try settings.backupDir.map {
            BackupSchedule(
                store: try (store as? SQLiteSyncStore) ?? data.sqliteStore(for: "--backup-dir"),
                folder: URL(fileURLWithPath: $0), every: settings.backupEvery, keep: settings.backupKeep,
                status: status!, logger: logger, now: clock)
        }
        let location = (try? settings.database.map { try PostgresAddress($0).description }) ?? folder.path
        let host = settings.host
        let app = BriefServer.application(
            service: service, host: host, port: settings.port, logger: logger, trustProxy: settings.trustProxy
        ) { port in
            FileHandle.standardOutput.write(
                Data("briefd listening on http://\(host):\(port) (data: \(location))\n".utf8))
            logger.notice(
                "started",
                metadata: [
                    "version": .string(BriefdVersion.text), "address": .string("\(host):\(port)"),
                    "store": .string(location),
                ])
        }
        let backups = Task { await schedule?.run() }
        do {
            try await app.runService()
        } catch {
            backups.cancel()
            await backups.value
            if let problem = BriefServer.listenProblem(error, host: host, port: settings.port) {
                throw AdminError(problem)
            }
            throw error
        }
        // A backup under way when the server stops is finished (written, verified, rotated), so a
        // stop never leaves a half-written file or one beyond `--backup-keep`.
        backups.cancel()
        await backups.value
        logger.notice("stopped")
    }
}

/// What `briefd --version` prints and the start-up log line carries.
enum BriefdVersion {
    static let text = "briefd \(BriefSyncVersion.number) (commit \(BuildCommit.id))"
}

/// An admin command's failure, said in words: printed as `error: …` with exit 1 (no usage line).
struct AdminError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
