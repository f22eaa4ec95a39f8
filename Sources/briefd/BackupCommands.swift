import ArgumentParser
import BriefSyncModel
import BriefSyncServer
import Foundation

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Take a backup while the server runs, or verify one.",
        subcommands: [Create.self, Verify.self], defaultSubcommand: Create.self)

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Write a consistent backup of the data folder to FILE (safe while 'briefd serve' runs).",
            discussion: """
                With --database (PostgreSQL) it writes every team as portable JSON ('briefd import' reads it); \
                PostgreSQL's own backups are pg_dump and WAL archiving (docs/operations.md).
                """)
        @OptionGroup var data: DataOptions
        @Option(help: "The backup file to write.") var to: String

        func run() async throws {
            let url = URL(fileURLWithPath: to)
            guard !FileManager.default.fileExists(atPath: url.path) else {
                throw BackupError(
                    .refused, "\(url.path) exists; choose a new file name (backups are never overwritten)")
            }
            if data.postgres != nil {
                let export = try await data.store().exportAll(now: now())
                try writeNew(url, WireJSON.data(export))
                let records = export.teams.reduce(0) { $0 + $1.records.count }
                print(
                    "Exported \(export.teams.count) teams (\(records) records) to \(url.path); restore with 'briefd import'. For the whole database use pg_dump (docs/operations.md)."
                )
                return
            }
            let manifest = try data.sqliteStore(for: "briefd backup").backup(to: url, now: now())
            print(Self.describe(manifest, file: url.path))
        }

        static func describe(_ m: BackupManifest, file: String) -> String {
            let c = m.counts
            return """
                Backup \(file): epoch \(m.epoch.epoch), changes up to #\(m.highestSeq), \(c.records) records \
                (\(c.conflicts) conflicts), \(c.versions) versions, \(c.users) users, \(c.teams) teams; \
                \(m.size) bytes, SHA-256 \(m.sha256.prefix(16))…
                """
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a backup: checksums, SQLite's integrity check, and counts recomputed.")
        @Argument(help: "The backup file.") var file: String

        func run() async throws {
            let url = URL(fileURLWithPath: file)
            let manifest = try SQLiteSyncStore.verifyBackup(url)
            print("OK: " + Create.describe(manifest, file: url.path))
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into a data folder (stop 'briefd serve' first). The server gets a new epoch.",
        discussion: """
            Clients notice the new epoch on their next 'brief sync' and push back everything the \
            backup lacks (docs/operations.md).

            With --database (PostgreSQL), restore the database with PostgreSQL's tools first \
            (pg_restore, or point-in-time recovery), then run 'briefd restore --database URL' \
            without --from: it gives the restored database its new epoch.
            """)
    @Option(help: "The backup file (embedded store).") var from: String?
    @OptionGroup var data: DataOptions
    @Flag(help: "Replace a folder that already holds a database (its files are moved to replaced-TIME/).")
    var force = false

    func validate() throws {
        if data.postgres != nil, from != nil {
            throw ValidationError(
                "with --database, restore the database with pg_restore or point-in-time recovery, then run this without --from"
            )
        }
        if data.postgres == nil, from == nil { throw ValidationError("give the backup file: --from FILE") }
    }

    func run() async throws {
        guard let from else {
            let store = try await data.store()
            let (old, new) = try await store.renewEpoch()
            print(
                "Marked the database restored: epoch \(old.epoch) → \(new.epoch) (changes up to #\(new.ancestors.first?.upTo ?? 0) shared)."
            )
            print("Clients push back what the restored database lacks on their next 'brief sync'.")
            return
        }
        let restored = try SQLiteSyncStore.restore(
            from: URL(fileURLWithPath: from), into: data.url, force: force, now: now())
        let m = restored.manifest
        if let aside = restored.setAside { print("Moved the data it replaces to \(aside.path).") }
        print(
            "Restored \(m.counts.records) records (changes up to #\(m.highestSeq) of epoch \(m.epoch.epoch)) into \(data.url.path); new epoch \(restored.epoch.epoch)."
        )
        print("Clients push back what this backup lacks on their next 'brief sync'.")
    }
}
