import ArgumentParser
import BriefSyncClient
import BriefSyncModel
import Foundation

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long, help: "The replica folder (default: $BRIEF_HOME, else $XDG_DATA_HOME/brief, else $HOME/.brief).")
    var home: String?

    @Flag(name: .long, help: "Print one JSON document on stdout instead of text.")
    var json = false

    var homeURL: URL { Self.homeURL(home) }

    /// `explicit`, else `$BRIEF_HOME`, else `$XDG_DATA_HOME/brief` (where set), else
    /// `$HOME/.brief` — the environment's home, as git and taskwarrior use it (containers,
    /// `sudo -u`, sandboxes), and the account's home only when `$HOME` is unset.
    static func homeURL(_ explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> URL
    {
        if let explicit { return URL(fileURLWithPath: explicit) }
        if let env = environment["BRIEF_HOME"], !env.isEmpty { return URL(fileURLWithPath: env) }
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            return URL(fileURLWithPath: data).appendingPathComponent("brief")
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return URL(fileURLWithPath: home).appendingPathComponent(".brief")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".brief")
    }

    func open() throws -> Replica { try Replica.open(home: homeURL) }

    /// The replica, for a command that only reads it (no write lock, no fsync).
    func openForReading() throws -> Replica { try Replica.open(home: homeURL, readOnly: true) }

    /// The replica and a client for the server it is logged in to (`sync`, `members`, `passwd`, …).
    func serverClient() throws -> SyncClient {
        let replica = try open()
        guard let server = try replica.loggedInServer() else {
            throw ClientError(.notLoggedIn, "not logged in; run 'brief login --server URL --user NAME' first")
        }
        return SyncClient(replica: replica, transport: syncTransport(for: server))
    }

    /// `brief --home DIR --json cmd ARGS` as `brief cmd ARGS --home DIR --json`: the options
    /// every command takes work before the subcommand too, as git's `-C` does.
    static func movedAfterSubcommand(_ args: [String]) -> [String] {
        var leading: [String] = []
        var rest = args[...]
        while let first = rest.first {
            if first == "--home", rest.count >= 2 {
                leading += rest.prefix(2)
                rest = rest.dropFirst(2)
            } else if first.hasPrefix("--home=") || first == "--json" {
                leading.append(first)
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        guard !leading.isEmpty, !rest.isEmpty else { return args }
        var out = Array(rest)
        out.insert(contentsOf: leading, at: out.firstIndex(of: "--") ?? out.endIndex)
        return out
    }

    /// Whether `--json` is among the options (before a `--`): errors are then JSON too, even
    /// those found before the options are parsed.
    static func wantsJSON(_ arguments: [String]) -> Bool {
        arguments.prefix { $0 != "--" }.contains("--json")
    }

    /// Prints `value` as JSON with `--json`, else `text`.
    func emit<T: Encodable>(_ value: T, text: @autoclosure () -> String) throws {
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try e.encode(value), as: UTF8.self))
        } else {
            let t = text()
            let out = t.hasSuffix("\n") || t.isEmpty ? t : t + "\n"
            if !Terminal.page(out) { print(out, terminator: "") }
        }
    }
}

/// Reads a file given on the command line (`-` is standard input).
func readDocument(_ path: String) throws -> (name: String, text: String) {
    let data: Data
    if path == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw ClientError(.fileUnreadable, "cannot read \(path): no such file")
        }
        guard !isDir.boolValue, let d = FileManager.default.contents(atPath: path) else {
            throw ClientError(
                .fileUnreadable, "cannot read \(path): \(isDir.boolValue ? "it is a folder" : "permission denied")")
        }
        data = d
    }
    let name = path == "-" ? "standard input" : path
    return (name, try Replica.documentText(data, name: name))
}

extension Annotation.Kind: ExpressibleByArgument {}
