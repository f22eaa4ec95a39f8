import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What `brief login` keeps: the server, the user, the chosen team and the bearer token.
/// Stored in `credentials.json` in the replica folder with mode 0600.
public struct Credentials: Sendable, Hashable, Codable {
    public var server: String
    public var user: String
    public var team: String?
    public var token: String

    static func url(home: URL) -> URL { home.appendingPathComponent("credentials.json") }

    static func load(home: URL) -> Credentials? {
        guard let data = FileManager.default.contents(atPath: url(home: home).path) else { return nil }
        return try? JSONDecoder().decode(Credentials.self, from: data)
    }

    /// Writes the file atomically, created 0600 so the token is never readable by others.
    func save(home: URL) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        try SecretFile.write(try e.encode(self), to: Credentials.url(home: home))
    }

    static func remove(home: URL) {
        try? FileManager.default.removeItem(at: url(home: home))
    }
}

/// Tokens whose revocation the server has not confirmed yet (`brief logout` while offline, or a
/// new login replacing a session). Kept in `revoke-pending.json`, mode 0600, until revoked.
struct PendingRevocations {
    struct Entry: Codable, Hashable {
        var server: String
        var token: String
    }

    static func url(home: URL) -> URL { home.appendingPathComponent("revoke-pending.json") }

    static func load(home: URL) -> [Entry] {
        guard let data = FileManager.default.contents(atPath: url(home: home).path) else { return [] }
        return (try? JSONDecoder().decode([Entry].self, from: data)) ?? []
    }

    static func add(server: String, token: String, home: URL) throws {
        var entries = load(home: home)
        guard !entries.contains(where: { $0.token == token }) else { return }
        entries.append(Entry(server: server, token: token))
        try save(entries, home: home)
    }

    static func remove(token: String, home: URL) throws {
        let entries = load(home: home).filter { $0.token != token }
        if entries.isEmpty {
            try? FileManager.default.removeItem(at: url(home: home))
        } else {
            try save(entries, home: home)
        }
    }

    private static func save(_ entries: [Entry], home: URL) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        try SecretFile.write(try e.encode(entries), to: url(home: home))
    }
}

/// Writes a file readable by its owner only, atomically: created 0600 from the first byte under
/// a temporary name, flushed, then renamed into place.
enum SecretFile {
    static func write(_ data: Data, to final: URL) throws {
        let temp = final.deletingLastPathComponent().appendingPathComponent(
            ".\(final.lastPathComponent)-\(UUID().uuidString)")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw ClientError(.fileUnreadable, "cannot write \(final.path)") }
        let written = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced, rename(temp.path, final.path) == 0 else {
            unlink(temp.path)
            throw ClientError(.fileUnreadable, "cannot write \(final.path)")
        }
    }
}
