import BriefSyncClient
import Foundation

/// `brief`'s optional config file: `$XDG_CONFIG_HOME/brief/config`, else
/// `$HOME/.config/brief/config` (`$BRIEF_CONFIG` names another). One `key = value` per line, `#`
/// comments; keys: `server`, `user`, `team` (defaults for `login` and `clone`), `editor` (before
/// `$VISUAL`/`$EDITOR`), `colour` (`auto`, `always`, `never`). Flags win over it; an unknown
/// key or a bad value is an error that names the file and the line.
struct Config: Equatable {
    var server: String?
    var user: String?
    var team: String?
    var editor: String?
    var colour: Colour = .auto

    enum Colour: String { case auto, always, never }

    static let keys: Set<String> = ["server", "user", "team", "editor", "colour", "color"]

    /// Where the file is looked for.
    static func path(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let explicit = environment["BRIEF_CONFIG"], !explicit.isEmpty { return explicit }
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/brief/config" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.config/brief/config" }
        return nil
    }

    /// The config in effect: the file's, or the defaults when there is none.
    static func load(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Config {
        guard let path = path(environment), FileManager.default.fileExists(atPath: path) else { return Config() }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= 64 * 1024, let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ClientError(.invalidArgument, "\(path) is not a readable config file (UTF-8, at most 64 KiB)")
        }
        return try parse(text, path: path)
    }

    static func parse(_ text: String, path: String) throws -> Config {
        var config = Config()
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw ClientError(
                    .invalidArgument, "\(path):\(n + 1): write 'key = value' (keys: server, user, team, editor, colour)"
                )
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard keys.contains(key) else {
                throw ClientError(
                    .invalidArgument,
                    "\(path):\(n + 1): unknown key '\(key.prefix(40))' (keys: server, user, team, editor, colour)")
            }
            switch key {
            case "server": config.server = value
            case "user": config.user = value
            case "team": config.team = value
            case "editor": config.editor = value
            default:
                guard let colour = Colour(rawValue: value.lowercased()) else {
                    throw ClientError(.invalidArgument, "\(path):\(n + 1): colour is auto, always or never")
                }
                config.colour = colour
            }
        }
        return config
    }
}
