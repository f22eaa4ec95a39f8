import Foundation

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
        let final = Credentials.url(home: home)
        let temp = home.appendingPathComponent(".credentials-\(UUID().uuidString)")
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard
            FileManager.default.createFile(
                atPath: temp.path, contents: try e.encode(self), attributes: [.posixPermissions: 0o600])
        else {
            throw ClientError(.fileUnreadable, "cannot write \(final.path)")
        }
        guard rename(temp.path, final.path) == 0 else {
            throw ClientError(.fileUnreadable, "cannot write \(final.path)")
        }
    }

    static func remove(home: URL) {
        try? FileManager.default.removeItem(at: url(home: home))
    }
}
