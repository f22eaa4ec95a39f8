import Foundation
import TestSupport
import Testing

/// The built `briefd` and `brief` binaries, as a team would run them.
@Suite struct SyncCLITests {
    /// Starts `briefd serve --port 0` and returns it with the port it printed.
    func startServer(data: String) throws -> (Process, Int) {
        let server = try ServerProcess.start(data: data)
        return (server.process, server.port)
    }

    @Test func twoReplicasConvergeThroughTheBinaries() throws {
        let dir = TemporaryDirectory("e2e-sync")
        defer { dir.remove() }
        let data = dir.file("server").path
        for args in [
            ["user", "add", "alice", "--password-stdin"], ["user", "add", "bob", "--password-stdin"],
            ["team", "add", "analysts"], ["team", "add-member", "analysts", "alice", "--role", "owner"],
            ["team", "add-member", "analysts", "bob", "--role", "editor"],
        ] {
            let r = try ProcessRunner.run("briefd", args + ["--data", data], stdin: "s3cret-pass\n")
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
        let (server, port) = try startServer(data: data)
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let url = "http://127.0.0.1:\(port)"
        func brief(_ who: String, _ args: [String], stdin: String? = nil) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", dir.file(who).path], stdin: stdin)
        }
        for who in ["alice", "bob"] {
            #expect(try brief(who, ["init", "--name", who]).status == 0)
            let login = try brief(
                who, ["login", "--server", url, "--user", who, "--password-stdin"], stdin: "s3cret-pass\n")
            #expect(login.status == 0, "\(login.stderr)")
            let attrs = try FileManager.default.attributesOfItem(
                atPath: dir.file(who).appendingPathComponent("credentials.json").path)
            #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
        let id = try brief("alice", ["import", dir.write("p.txt", Samples.plain)]).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        let first = try brief("alice", ["sync", "--json"])
        #expect(
            first.stdout.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "").contains(
                #""pulled":0,"pushed":1"#))  // its own briefing coming back is not news
        #expect(try brief("bob", ["sync"]).stdout == "Pushed 0, pulled 1, merged 0.\n")
        #expect(try brief("alice", ["annotate", id, "--quote", "workmanlike", "--note", "tone"]).status == 0)
        #expect(try brief("bob", ["edit", id, "--section", "Key Topics", "--text", "Settled."]).status == 0)
        #expect(try brief("bob", ["tag", id, "urgent"]).status == 0)
        for who in ["alice", "bob", "alice"] { #expect(try brief(who, ["sync"]).status == 0) }
        let a = try brief("alice", ["show", id, "--json"]).stdout
        let b = try brief("bob", ["show", id, "--json"]).stdout
        #expect(a == b)
        #expect(a.contains("Settled.") && a.contains("workmanlike") && a.contains("urgent"))
        let status = try brief("bob", ["status"]).stdout
        #expect(status.contains("pending     nothing to sync") && status.contains("server      \(url)"))

        // Server gone: the change stays queued and the error says so.
        server.terminate()
        server.waitUntilExit()
        #expect(try brief("bob", ["tag", id, "later"]).status == 0)
        let offline = try brief("bob", ["sync"])
        #expect(offline.status == 1 && offline.stderr.contains("1 change(s) stay queued"))
        #expect(try brief("bob", ["status"]).stdout.contains("last error"))
    }

    @Test func briefdStopsCleanlyOnSIGTERMAndKeepsItsData() throws {
        let dir = TemporaryDirectory("e2e-term")
        defer { dir.remove() }
        let data = dir.file("server").path
        #expect(
            try ProcessRunner.run(
                "briefd", ["user", "add", "ann", "--password-stdin", "--data", data], stdin: "long-password\n"
            ).status == 0)
        let (server, port) = try startServer(data: data)
        let home = dir.file("ann").path
        #expect(try ProcessRunner.run("brief", ["init", "--home", home]).status == 0)
        let login = try ProcessRunner.run(
            "brief",
            ["login", "--server", "http://127.0.0.1:\(port)", "--user", "ann", "--password-stdin", "--home", home],
            stdin: "long-password\n")
        #expect(login.status == 0, "\(login.stderr)")
        server.terminate()  // SIGTERM
        server.waitUntilExit()
        #expect(server.terminationReason == .exit && server.terminationStatus == 0)
        // The admin commands still see everything.
        #expect(try ProcessRunner.run("briefd", ["user", "list", "--data", data]).stdout == "ann\n")
        let bad = try ProcessRunner.run(
            "briefd", ["user", "add", "ann", "--password-stdin", "--data", data], stdin: "long-password\n")
        #expect(bad.status == 1 && bad.stderr == "error: user 'ann' already exists\n")
    }

    @Test func demoRunsTheWholeLoop() throws {
        let r = try ProcessRunner.run("brief", ["demo"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Both replicas now hold the same briefing, with no open conflict"))
        #expect(r.stdout.contains("'Key Topics' merged cleanly"))
        #expect(
            r.stdout.contains("Maritime and air activity")
                && r.stdout.contains("Regional partners were briefed separately"))
        #expect(r.stdout.contains("'What to Watch Next' clashed"))
        #expect(r.stdout.contains("- Follow-up working-level talks in Beijing in December."))
        #expect(r.stdout.contains("«face-to-face talks»[1]"))
        #expect(r.stdout.contains("channel open»[2]"))
        #expect(r.stdout.contains("A possible crisis hotline announcement."))
    }
}
