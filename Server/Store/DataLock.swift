import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on a data folder (`briefd.lock`), held by `briefd serve` for its lifetime
/// and by `briefd restore`, so a restore never replaces a database a server has open and two
/// servers never share one folder.
public final class DataLock: @unchecked Sendable {
    private var fd: Int32

    /// - Throws: ``BackupError`` (refused) when another process holds the folder.
    public init(folder: URL) throws {
        try? FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = folder.appendingPathComponent("briefd.lock").path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError(.unwritable, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            fd = -1
            throw BackupError(
                .refused,
                "another briefd (a running 'briefd serve' or a restore) is using \(folder.path); stop it first")
        }
    }

    public func release() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}
