import ArgumentParser
import BriefSyncClient
import BriefSyncModel
import Foundation

struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to a briefd server; the token is kept in the replica folder (mode 0600).",
        discussion:
            "echo \"$PASSWORD\" | brief login --server http://127.0.0.1:8080 --user alice --password-stdin --team analysts"
    )
    @OptionGroup var global: GlobalOptions
    @Option(help: "The server URL, e.g. http://127.0.0.1:8080 (default: server in the config file).")
    var server: String?
    @Option(help: "Your user name on the server (default: user in the config file).") var user: String?
    @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
    @Option(help: "The team new briefings go to (default: team in the config file, else your only team).")
    var team: String?

    @Flag(help: "Allow a plain http:// server that is not on this machine (password and token travel unencrypted).")
    var insecure = false

    func validate() throws {
        let (server, _, _) = try Self.account(server: server, user: user, team: team)
        try Self.check(server: server, insecure: insecure)
    }

    /// Server, user and team from the flags, else from the config file; both missing is an error
    /// that says how to give them.
    static func account(server: String?, user: String?, team: String?) throws -> (String, String, String?) {
        let config = try Config.load()
        guard let server = server ?? config.server else {
            throw ValidationError("give --server URL, or set 'server = URL' in \(Config.path() ?? "the config file")")
        }
        guard let user = user ?? config.user else {
            throw ValidationError("give --user NAME, or set 'user = NAME' in \(Config.path() ?? "the config file")")
        }
        return (server, user, team ?? config.team)
    }

    /// An http(s) URL; plain http only to this machine unless `insecure`.
    static func check(server: String, insecure: Bool) throws {
        guard server.hasPrefix("http://") || server.hasPrefix("https://") else {
            throw ValidationError("--server must be an http:// or https:// URL")
        }
        if server.hasPrefix("http://"), !insecure, !isLoopback(server) {
            throw ValidationError(
                "--server \(server) is plain http to another machine: your password and token would travel unencrypted; use https:// (e.g. behind a TLS proxy), or pass --insecure if you accept that"
            )
        }
    }

    /// The password from the first line of standard input, or asked for on the terminal.
    static func password(for user: String, stdin: Bool) throws -> String {
        if stdin { return readLine(strippingNewline: true) ?? "" }
        return try ask("Password for \(user): ", command: "brief login ...")
    }

    /// A secret typed on the terminal without echo; refused (with the pipe to use instead)
    /// when there is no terminal.
    static func ask(_ prompt: String, command: String) throws -> String {
        // Without a terminal getpass would read nothing and an empty password would be sent.
        guard isatty(STDIN_FILENO) == 1 || FileManager.default.isReadableFile(atPath: "/dev/tty"),
            let tty = fopen("/dev/tty", "r")
        else {
            throw ClientError(
                .invalidArgument,
                "no terminal to ask for the password; pipe it in with --password-stdin (echo \"$PASSWORD\" | \(command) --password-stdin)"
            )
        }
        fclose(tty)
        guard let p = getpass(prompt) else { throw ValidationError("no password given") }
        return String(cString: p)
    }

    /// Whether an http URL's host is this machine (127.0.0.0/8, ::1, localhost).
    static func isLoopback(_ url: String) -> Bool {
        guard let host = URLComponents(string: url)?.host?.lowercased() else { return false }
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    func run() async throws {
        let (server, user, team) = try Self.account(server: server, user: user, team: team)
        let replica = try global.open()
        let password = try Self.password(for: user, stdin: passwordStdin)
        let base = server.hasSuffix("/") ? String(server.dropLast()) : server
        let client = SyncClient(replica: replica, transport: syncTransport(for: base))
        let answer = try await client.login(user: user, password: password, team: team)
        let status = try replica.status()
        try global.emit(
            status, text: "Logged in to \(base) as \(answer.user)" + (status.team.map { ", team \($0)" } ?? ""))
    }
}

struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout", abstract: "Revoke the token on the server and forget it here.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let replica = try global.open()
        guard let server = replica.serverToLogOutFrom() else {
            throw ClientError(.notLoggedIn, "not logged in; nothing to do")
        }
        try await SyncClient(replica: replica, transport: syncTransport(for: server)).logout()
        try global.emit(["status": "logged out"], text: "Logged out; the token is revoked.")
    }
}

extension Sync {
    /// `brief sync --watch`: runs ``SyncClient/watch`` until SIGINT or SIGTERM.
    static func watch(_ client: SyncClient, global: GlobalOptions) async throws {
        let json = global.json
        let task = Task {
            await client.watch(
                synced: { summary in
                    if json {
                        let e = JSONEncoder()
                        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                        if let data = try? e.encode(summary) { FileHandle.standardOutput.write(data + Data("\n".utf8)) }
                    } else {
                        var line = "Pushed \(summary.pushed), pulled \(summary.pulled), merged \(summary.merged)."
                        for r in summary.rejected { line += "\nrejected: \(r)" }
                        for c in summary.conflicts { line += "\nnew \(c)" }
                        // Unbuffered: a watcher's output is read as it happens.
                        FileHandle.standardOutput.write(Data((line + "\n").utf8))
                    }
                },
                problem: { message in
                    // Not fatal: the watcher goes on (reconnecting); one line, JSON with --json.
                    let line =
                        json
                        ? String(decoding: (try? JSONEncoder().encode(["warning": message])) ?? Data(), as: UTF8.self)
                        : "brief: \(message)"
                    FileHandle.standardError.write(Data((line + "\n").utf8))
                })
        }
        let signals = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { task.cancel() }
            source.resume()
            return source
        }
        await task.value
        signals.forEach { $0.cancel() }
    }
}

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Push pending changes, then pull everyone else's.",
        discussion: """
            Safe to interrupt: the next 'brief sync' finishes the job without duplicates.
            Exit status: 0 synced; 3 synced, but the server refused some changes (kept: see
            'brief rejected'); 1 not synced (unreachable, not logged in, …): changes stay queued.

            With --watch it keeps running: it pushes each local change as it is written and pulls
            as soon as the server announces a change (GET /v1/events), reconnecting with backoff
            when the connection drops; one line per sync that moved something. Ctrl-C (or
            SIGTERM) stops it with exit 0; nothing is lost, the outbox is on disk.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Mutations per push.") var batch = 200
    @Option(help: "Records per pull page.") var page = 500
    @Flag(help: "Keep the replica current until interrupted.") var watch = false

    func run() async throws {
        var client = try global.serverClient()
        client.batchSize = max(1, batch)
        client.pageSize = max(1, page)
        if watch {
            try await Self.watch(client, global: global)
            return
        }
        // A long pull (a first sync, a week offline) shows its progress on a terminal.
        let progress = ProgressLine("Pulling", unit: "records")
        if let progress { client.progress = { progress.update($0, of: $1) } }
        let summary = try await client.sync()
        progress?.finish()
        var text = "Pushed \(summary.pushed), pulled \(summary.pulled), merged \(summary.merged)."
        if let restored = summary.restored { text += "\nNote: \(restored)." }
        for line in summary.conflicts { text += "\nnew \(line)" }
        for line in summary.rejected { text += "\nrejected: \(line)" }
        try global.emit(summary, text: text)
        if !summary.rejected.isEmpty {
            throw ClientError(
                .refused,
                "the server refused \(summary.rejected.count) change(s); they are kept: see 'brief rejected', then 'brief rejected retry' once fixed"
            )
        }
    }
}
