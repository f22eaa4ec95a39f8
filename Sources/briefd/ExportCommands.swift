import ArgumentParser
import BriefSyncModel
import BriefSyncServer
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Write one team (records, history, conflicts, members) as portable JSON, to move it to another server.")
    @OptionGroup var data: DataOptions
    @Option(help: "The team to export.") var team: String
    @Option(help: "The file to write (0600).") var to: String

    func run() async throws {
        let url = URL(fileURLWithPath: to)
        guard !FileManager.default.fileExists(atPath: url.path) else {
            throw BackupError(.refused, "\(url.path) exists; choose a new file name")
        }
        let export = try await data.store().export(team: team, now: now())
        try writeNew(url, WireJSON.data(export))
        print(
            "Exported team \(export.team): \(export.records.count) records, \(export.versions.count) versions, \(export.members.count) members to \(url.path)."
        )
    }
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Add a team exported by 'briefd export' to this server.")
    @OptionGroup var data: DataOptions
    @Argument(help: "The export file.") var file: String

    /// Exports larger than this are refused before reading (a team of 1 GiB is far beyond any
    /// real one; the file is hostile input until checked).
    static let maxBytes = 1 << 30
    /// An export nests about 8 levels plus what a field value holds.
    static let maxDepth = 64

    func run() async throws {
        let url = URL(fileURLWithPath: file)
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
        guard let size else { throw BackupError(.io, "cannot read \(url.path)") }
        guard size <= Self.maxBytes else {
            throw BackupError(.notABackup, "\(url.path) is \(size) bytes; an export may be at most 1 GiB")
        }
        let bytes = try Data(contentsOf: url)
        // Depth first: a hostile file nested a million deep must not exhaust the stack.
        guard Wire.JSONScan.scan(bytes, maxDepth: Self.maxDepth).depth <= Self.maxDepth else {
            throw BackupError(
                .notABackup, "\(url.path) is nested more than \(Self.maxDepth) levels deep; not a BriefSync team export"
            )
        }
        // A team export, or a server export (every team: what `briefd backup` writes for PostgreSQL).
        let exports: [TeamExport]
        if let server = try? WireJSON.decode(ServerExport.self, from: bytes), server.format == ServerExport.formatName {
            guard server.version == 1 else {
                throw BackupError(
                    .notABackup,
                    "\(url.path) is a server export of version \(server.version); this briefd reads version 1")
            }
            exports = server.teams
        } else {
            do {
                exports = [try WireJSON.decode(TeamExport.self, from: bytes)]
            } catch {
                throw BackupError(.notABackup, "\(url.path) is not a BriefSync team export: \(error)")
            }
        }
        let store = try await data.store()
        for export in exports {
            let imported = try await store.importTeam(export, now: now()) {
                let password = BearerToken.make().prefix(20).description
                return (password, try PasswordHasher.hash(password))
            }
            print("Imported team \(imported.team): \(imported.records) records, \(imported.versions) versions.")
            for (name, password) in imported.createdUsers {
                print("Added user \(name) with password: \(password)")
            }
        }
    }
}

/// Writes `bytes` to a new file, 0600 from the first byte, synced before it is said to exist.
func writeNew(_ url: URL, _ bytes: Data) throws {
    guard !FileManager.default.fileExists(atPath: url.path) else {
        throw BackupError(.refused, "\(url.path) exists; choose a new file name")
    }
    let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard fd >= 0 else { throw BackupError(.io, "cannot create \(url.path): \(String(cString: strerror(errno)))") }
    let out = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    try out.write(contentsOf: bytes)
    try out.synchronize()
    try out.close()
}
