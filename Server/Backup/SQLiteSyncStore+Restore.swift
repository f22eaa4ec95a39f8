import BriefSyncModel
import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

extension SQLiteSyncStore {
    /// What a restore did.
    public struct Restored: Sendable {
        public var manifest: BackupManifest
        /// The restored server's new epoch.
        public var epoch: Wire.Epoch
        /// Where the data it replaced was moved (with `force`), if there was any.
        public var setAside: URL?
    }

    /// Restores a verified backup into the data folder `folder` under a **new epoch**, so
    /// clients know the server's sequence numbers changed meaning and heal (`docs/sync-model.md`).
    ///
    /// Refuses a folder that holds data unless `force`; then the old files are moved aside into
    /// `folder/replaced-TIME/`, never deleted. Refuses while a `briefd serve` holds the folder.
    public static func restore(from url: URL, into folder: URL, force: Bool, now: Int64) throws -> Restored {
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let lock = try DataLock(folder: folder)
        defer { lock.release() }
        let manifest = try verifyBackup(url)
        let file = folder.appendingPathComponent("briefd.sqlite")
        let present = ["", "-wal", "-shm"].map { URL(fileURLWithPath: file.path + $0) }.filter {
            FileManager.default.fileExists(atPath: $0.path)
        }
        var aside: URL? = nil
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        if !force, entries.contains(where: { $0 != "briefd.lock" }) {
            let what = present.isEmpty ? "is not empty" : "already holds a database"
            throw BackupError(
                .refused,
                "\(folder.path) \(what); nothing was changed. To restore into it anyway, run the restore again with --force (a database there is moved to \(folder.path)/replaced-TIME/, not deleted; other files are left alone)"
            )
        }
        if !present.isEmpty {
            let target = folder.appendingPathComponent("replaced-\(stampName(now))", isDirectory: true)
            try FileManager.default.createDirectory(
                at: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            for f in present {
                guard rename(f.path, target.appendingPathComponent(f.lastPathComponent).path) == 0 else {
                    throw BackupError(.io, "cannot move \(f.path) aside: \(String(cString: strerror(errno)))")
                }
            }
            aside = target
        }
        let incoming = folder.appendingPathComponent(".briefd.sqlite.restoring")
        removeDatabase(at: incoming)
        _ = try BackupFile.extract(url, to: incoming)
        let epoch = manifest.epoch.restored(as: newEpochName(), at: manifest.highestSeq)
        do {
            let queue = try DatabaseQueue(path: incoming.path)
            try queue.write { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('epoch', ?), ('ancestors', ?)",
                    arguments: [epoch.epoch, try WireJSON.string(epoch.ancestors)])
            }
            try queue.close()
        } catch let error as DatabaseError {
            removeDatabase(at: incoming)
            throw BackupError(.damaged, "cannot open the restored database: \(error.message ?? "\(error)")")
        }
        unlink(incoming.path + "-journal")
        guard rename(incoming.path, file.path) == 0 else {
            throw BackupError(
                .io, "cannot move the restored database into \(file.path): \(String(cString: strerror(errno)))")
        }
        BackupFile.syncDirectory(folder)
        return Restored(manifest: manifest, epoch: epoch, setAside: aside)
    }

    /// `20261202-201503-123Z`: sorts in time order, safe in file names.
    public static func stampName(_ ms: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(ms) / 1000)
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd-HHmmss-SSS"
        return f.string(from: date) + "Z"
    }
}
