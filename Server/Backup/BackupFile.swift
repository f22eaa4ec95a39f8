import BriefSyncModel
import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The backup file: one self-checking file, easy to copy to another machine.
///
/// ```
/// briefsync-backup 1 <SHA-256 of the manifest line, hex>\n
/// <manifest JSON, one line>\n
/// <the SQLite database, `manifest.size` bytes, SHA-256 `manifest.sha256`>
/// ```
/// The header's digest covers the manifest and the manifest's covers the database, so a
/// change to any byte is found by ``verify(_:)``.
public enum BackupFile {
    static let magic = "briefsync-backup 1 "
    /// A manifest line is small; anything longer is not a backup.
    static let maxHeader = 64 * 1024

    /// Writes the backup: `database` (a snapshot no one writes to) behind its manifest, to a
    /// temporary file (0600 from the first byte) renamed into place once synced to disk.
    static func write(database: URL, manifest: BackupManifest, to url: URL) throws {
        let line = try WireJSON.data(manifest)
        let digest = hex(SHA256.hash(data: line))
        var head = Data((magic + digest + "\n").utf8)
        head.append(line)
        head.append(UInt8(ascii: "\n"))
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        unlink(temp.path)
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw BackupError(.io, "cannot create \(temp.path): \(String(cString: strerror(errno)))") }
        let out = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try out.write(contentsOf: head)
            guard let input = FileHandle(forReadingAtPath: database.path) else {
                throw BackupError(.io, "cannot read the snapshot \(database.path)")
            }
            defer { try? input.close() }
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try out.write(contentsOf: chunk) }
            try out.synchronize()
            try out.close()
        } catch let error as BackupError {
            unlink(temp.path)
            throw error
        } catch {
            unlink(temp.path)
            throw BackupError(.io, "cannot write \(url.path): \(error.localizedDescription)")
        }
        guard rename(temp.path, url.path) == 0 else {
            unlink(temp.path)
            throw BackupError(.io, "cannot move the backup into \(url.path): \(String(cString: strerror(errno)))")
        }
        syncDirectory(url.deletingLastPathComponent())
    }

    /// Reads and checks the manifest; returns it with the offset where the database starts.
    static func manifest(of url: URL) throws -> (manifest: BackupManifest, offset: UInt64) {
        guard let input = FileHandle(forReadingAtPath: url.path) else {
            throw BackupError(.io, "cannot read \(url.path): \(String(cString: strerror(errno)))")
        }
        defer { try? input.close() }
        let head = (try? input.read(upToCount: maxHeader)) ?? Data()
        let lines = head.split(separator: UInt8(ascii: "\n"), maxSplits: 2, omittingEmptySubsequences: false)
        guard lines.count == 3, let first = String(data: Data(lines[0]), encoding: .utf8), first.hasPrefix(magic)
        else {
            throw BackupError(.notABackup, "\(url.path) is not a briefd backup (no 'briefsync-backup 1' header)")
        }
        let line = Data(lines[1])
        guard String(first.dropFirst(magic.count)) == hex(SHA256.hash(data: line)) else {
            throw BackupError(.damaged, "\(url.path) is damaged: its manifest does not match the header's checksum")
        }
        guard let manifest = try? WireJSON.decode(BackupManifest.self, from: line), manifest.format == 1,
            manifest.size >= 0
        else {
            throw BackupError(.notABackup, "\(url.path) has a manifest this version of briefd cannot read")
        }
        return (manifest, UInt64(lines[0].count + 1 + line.count + 1))
    }

    /// Copies the database out of the backup to `to` (0600), checking its size and SHA-256.
    static func extract(_ url: URL, to destination: URL) throws -> BackupManifest {
        let (manifest, offset) = try manifest(of: url)
        guard let input = FileHandle(forReadingAtPath: url.path) else {
            throw BackupError(.io, "cannot read \(url.path)")
        }
        defer { try? input.close() }
        unlink(destination.path)
        let fd = open(destination.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw BackupError(.io, "cannot create \(destination.path): \(String(cString: strerror(errno)))")
        }
        let out = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            try input.seek(toOffset: offset)
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                size += Int64(chunk.count)
                try out.write(contentsOf: chunk)
            }
            try out.synchronize()
            try out.close()
        } catch {
            unlink(destination.path)
            throw BackupError(.io, "cannot copy the database out of \(url.path): \(error.localizedDescription)")
        }
        guard size == manifest.size, hex(hasher.finalize()) == manifest.sha256 else {
            unlink(destination.path)
            throw BackupError(
                .damaged,
                "\(url.path) is damaged: its database (\(size) bytes) does not match the manifest's size (\(manifest.size)) and SHA-256; use another backup"
            )
        }
        return manifest
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Makes a rename durable.
    static func syncDirectory(_ url: URL) {
        let fd = open(url.path, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}
