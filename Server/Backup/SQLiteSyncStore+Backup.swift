import BriefSyncModel
import Crypto
import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

extension SQLiteSyncStore {
    /// Writes a backup of the live database to `url` while the server keeps taking writes.
    ///
    /// `VACUUM INTO` copies one read transaction's view of the database: every change committed
    /// before it began and none after, never a torn record. The manifest is read from the copy
    /// itself, so it describes exactly what the file holds. Returns the manifest.
    public func backup(to url: URL, now: Int64) throws -> BackupManifest {
        let work = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).snapshot")
        Self.removeDatabase(at: work)
        defer { Self.removeDatabase(at: work) }
        do {
            try pool.unsafeRead { db in try db.execute(sql: "VACUUM INTO ?", arguments: [work.path]) }
        } catch let error as DatabaseError {
            throw BackupError(.io, "cannot snapshot the database into \(work.path): \(error.message ?? "\(error)")")
        }
        chmod(work.path, 0o600)
        let manifest = try Self.describe(snapshot: work, created: now)
        try BackupFile.write(database: work, manifest: manifest, to: url)
        return manifest
    }

    /// Checks a backup file: header, manifest, SHA-256 and size of the database, SQLite's
    /// integrity check, and the counts, epoch and highest sequence recomputed from the data.
    public static func verifyBackup(_ url: URL) throws -> BackupManifest {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "briefd-verify-\(UUID().uuidString)", isDirectory: true)
        try? FileManager.default.createDirectory(
            at: scratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: scratch) }
        let database = scratch.appendingPathComponent("briefd.sqlite")
        let manifest = try BackupFile.extract(url, to: database)
        let found = try describe(snapshot: database, created: manifest.created)
        var mismatches: [String] = []
        if found.counts != manifest.counts { mismatches.append("counts \(found.counts) ≠ manifest \(manifest.counts)") }
        if found.highestSeq != manifest.highestSeq {
            mismatches.append("highest sequence \(found.highestSeq) ≠ manifest \(manifest.highestSeq)")
        }
        if found.epoch != manifest.epoch { mismatches.append("epoch \(found.epoch.epoch) ≠ \(manifest.epoch.epoch)") }
        guard mismatches.isEmpty else {
            throw BackupError(
                .damaged, "\(url.path) does not hold what its manifest says: \(mismatches.joined(separator: "; "))")
        }
        return manifest
    }

    /// Opens a snapshot read-only, runs SQLite's integrity check and describes what it holds.
    static func describe(snapshot: URL, created: Int64) throws -> BackupManifest {
        var config = Configuration()
        config.readonly = true
        do {
            let queue = try DatabaseQueue(path: snapshot.path, configuration: config)
            defer { try? queue.close() }
            let (epoch, seq, counts) = try queue.read { db -> (Wire.Epoch, Int64, BackupManifest.Counts) in
                let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard check == ["ok"] else {
                    throw BackupError(
                        .damaged,
                        "the database fails SQLite's integrity check: \(check.prefix(3).joined(separator: "; "))")
                }
                func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
                let counts = BackupManifest.Counts(
                    users: try count("SELECT count(*) FROM users"), teams: try count("SELECT count(*) FROM teams"),
                    records: try count("SELECT count(*) FROM records"),
                    conflicts: try count("SELECT count(*) FROM records WHERE kind = 'conflict'"),
                    versions: try count("SELECT count(*) FROM versions"),
                    mutations: try count("SELECT count(*) FROM mutations"))
                let seq =
                    try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'") ?? 0
                return (try Self.epoch(db), seq, counts)
            }
            let (size, sha) = try digest(of: snapshot)
            return BackupManifest(
                format: 1, created: created, epoch: epoch, highestSeq: seq, counts: counts, size: size, sha256: sha)
        } catch let error as DatabaseError {
            throw BackupError(.damaged, "the database is not readable: \(error.message ?? "\(error)")")
        }
    }

    static func digest(of url: URL) throws -> (Int64, String) {
        guard let input = FileHandle(forReadingAtPath: url.path) else {
            throw BackupError(.io, "cannot read \(url.path)")
        }
        defer { try? input.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        return (size, BackupFile.hex(hasher.finalize()))
    }

    /// Removes a database file and its journal files.
    static func removeDatabase(at url: URL) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(url.path + suffix) }
    }
}
