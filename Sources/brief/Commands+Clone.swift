import ArgumentParser
import BriefSyncClient
import BriefSyncModel
import Foundation

struct Clone: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clone",
        abstract: "Set up this device from the server: a new replica with everything your teams hold.",
        discussion: """
            echo "$PASSWORD" | brief clone --server https://briefs.example.org --user alice --password-stdin
            Interrupted, it resumes where it stopped when run again with the same --home.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "The server URL, e.g. http://127.0.0.1:8080 (default: server in the config file).")
    var server: String?
    @Option(help: "Your user name on the server (default: user in the config file).") var user: String?
    @Option(help: "The team new briefings go to (default: your only team).") var team: String?
    @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
    @Flag(help: "Allow a plain http:// server that is not on this machine.") var insecure = false
    @Option(help: "Records per pull page.") var page = 500

    func validate() throws {
        let (server, _, _) = try Login.account(server: server, user: user, team: team)
        try Login.check(server: server, insecure: insecure)
    }

    func run() async throws {
        let (server, user, team) = try Login.account(server: server, user: user, team: team)
        let home = global.homeURL
        let base = server.hasSuffix("/") ? String(server.dropLast()) : server
        let replica: Replica
        let resuming: Bool
        if FileManager.default.fileExists(atPath: home.appendingPathComponent("replica.sqlite").path) {
            replica = try Replica.open(home: home)
            guard try replica.isCloning() else {
                throw ClientError(
                    .alreadyInitialized,
                    "\(home.path) already holds a replica; run 'brief sync' there, or clone into another folder with --home"
                )
            }
            resuming = true
        } else {
            replica = try Replica.create(home: home, name: user)
            try replica.setCloning(true)
            resuming = false
        }
        var client = SyncClient(replica: replica, transport: syncTransport(for: base))
        if try replica.status().server == nil {
            let password = try Login.password(for: user, stdin: passwordStdin)
            try await client.login(user: user, password: password, team: team)
        }
        client.pageSize = max(1, page)
        let progress = ProgressLine("Cloning", unit: "records")
        if let progress { client.progress = { progress.update($0, of: $1) } }
        let summary = try await client.sync()
        progress?.finish()
        try replica.setCloning(false)
        let status = try replica.status()
        try global.emit(
            status,
            text:
                "\(resuming ? "Resumed and finished" : "Cloned") \(base) into \(status.path): \(summary.pulled) records pulled"
                + (resuming ? " this time" : "") + ", \(status.briefings) briefings.")
    }
}
