import Foundation
import TestSupport
import Testing

/// The edges a team meets in its first week, through the built binaries, in the order a new
/// user runs the commands.
@Suite struct EdgeCLITests {
    static let mekong = """
        Mekong water
        Overview
        The Tonle Sap flows backwards in the wet season.
        Fish stocks depend on the flood pulse.
        Outlook
        Dams upstream change the timing of the flood.
        """

    func show(_ team: TeamFixture, _ user: String, _ id: String) throws -> [String: Any] {
        try team.json(user, ["show", id]) as? [String: Any] ?? [:]
    }

    /// The transcript of issue 7: work typed before the first login reaches the server whole.
    @Test func workBeforeTheFirstLoginReachesTheServerWhole() throws {
        let team = try TeamFixture("e2e-prelogin", members: [("eve", "editor"), ("bob", "editor")])
        defer { team.remove() }
        let server = try ServerProcess.start(data: team.data)
        defer { server.stop() }
        #expect(try team.brief("eve", ["init", "--name", "eve"]).status == 0)
        let imported = try team.brief("eve", ["import", team.dir.write("mekong.txt", Self.mekong), "--tag", "water"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let id = imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let short = String(id.prefix(4))
        #expect(try team.brief("eve", ["annotate", short, "--quote", "Tonle Sap", "--note", "fish"]).status == 0)
        let before = try show(team, "eve", id)
        #expect(try team.login("eve", server: server.url, team: "analysts").status == 0)
        let sync = try team.brief("eve", ["sync"])
        #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
        #expect(!sync.stdout.contains("rejected"), "\(sync.stdout)")

        let eve = try show(team, "eve", id)
        #expect(eve["title"] as? String == "Mekong water")
        #expect((eve["sections"] as? [Any])?.count == 2)
        #expect(eve["tags"] as? [String] == ["water"])
        #expect(eve["team"] as? String == "analysts")
        let notes = (eve["annotations"] as? [[String: Any]] ?? []).map { $0["note"] as? String }
        #expect(notes == ["fish"])
        // Nothing the user wrote changed on the way (only the team was added).
        #expect((eve["sections"] as? NSArray) == (before["sections"] as? NSArray))
        #expect((try team.json("eve", ["rejected"]) as? [Any])?.isEmpty == true)

        #expect(try team.join("bob", server: server.url).status == 0)
        #expect(try team.brief("bob", ["sync"]).status == 0)
        let bob = try team.brief("bob", ["show", id, "--json"]).stdout
        #expect(bob == (try team.brief("eve", ["show", id, "--json"]).stdout))
        // On the server: a fresh replica of a third member pulls the same whole briefing.
        try team.addUser("cat")
        try team.setRole("cat", "viewer")
        #expect(try team.join("cat", server: server.url).status == 0)
        #expect(try team.brief("cat", ["sync"]).status == 0)
        #expect(try team.brief("cat", ["show", id, "--json"]).stdout == bob)
    }

    /// A refused change stays visible to its author, with its text; retry and drop act on it.
    @Test func refusedChangesAreListedRetriedAndDropped() throws {
        let team = try TeamFixture("e2e-refused", members: [("ann", "editor"), ("vic", "viewer")])
        defer { team.remove() }
        let server = try ServerProcess.start(data: team.data)
        defer { server.stop() }
        #expect(try team.join("vic", server: server.url).status == 0)
        let id = try team.brief("vic", ["import", team.dir.write("m.txt", Self.mekong), "--title", "Vic's view"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        // A viewer cannot create briefings: sync says so and exits 3; nothing is lost.
        let sync = try team.brief("vic", ["sync"])
        #expect(sync.status == 3, "\(sync.stderr)")
        #expect(sync.stdout.contains("rejected: briefing \(id.prefix(8)): your role in team 'analysts' is viewer"))
        #expect(sync.stderr.contains("see 'brief rejected'"))
        let listed = try team.json("vic", ["rejected"]) as? [[String: Any]] ?? []
        #expect(listed.count == 1)
        #expect(listed.first?["record"] as? String == id)
        #expect(listed.first?["onServer"] as? Bool == false)
        #expect((listed.first?["fields"] as? [String: String])?["title"] == "Vic's view")
        #expect(try show(team, "vic", id)["title"] as? String == "Vic's view")
        let status = try team.json("vic", ["status"]) as? [String: Any] ?? [:]
        #expect(status["rejected"] as? Int == 1)
        #expect(try team.brief("vic", ["status"]).stdout.contains("1 change(s) refused by the server"))

        // Promoted, the author retries: the briefing reaches the team whole.
        try team.setRole("vic", "editor")
        let retry = try team.brief("vic", ["rejected", "retry", "--all"])
        #expect(retry.status == 0 && retry.stdout.contains("Queued 1 change(s)"), "\(retry.stderr)")
        #expect(try team.brief("vic", ["sync"]).status == 0)
        #expect((try team.json("vic", ["rejected"]) as? [Any])?.isEmpty == true)
        #expect(try team.join("ann", server: server.url).status == 0)
        #expect(try team.brief("ann", ["sync"]).status == 0)
        #expect(try show(team, "ann", id)["title"] as? String == "Vic's view")

        // Demoted again, an edit to a record the server has is refused: the screen goes back to
        // the server's text, and the refused text stays listed.
        try team.setRole("vic", "viewer")
        #expect(
            try team.brief("vic", ["edit", id, "--section", "Outlook", "--text", "Vic's refused outlook"]).status == 0)
        #expect(try team.brief("vic", ["sync"]).status == 3)
        let outlook = (try show(team, "vic", id)["sections"] as? [[String: Any]])?.last?["text"] as? String
        #expect(outlook == "Dams upstream change the timing of the flood.")
        let refused = try team.json("vic", ["rejected"]) as? [[String: Any]] ?? []
        #expect(refused.count == 1)
        #expect((refused.first?["fields"] as? [String: String])?["section.outlook.text"] == "Vic's refused outlook")
        #expect(refused.first?["onServer"] as? Bool == true)
        #expect(try team.brief("vic", ["rejected"]).stdout.contains("Vic's refused outlook"))

        // Dropping discards it explicitly; the record itself stays as the server has it.
        let mutation = String((refused.first?["id"] as? String ?? "").prefix(8))
        let drop = try team.brief("vic", ["rejected", "drop", mutation])
        #expect(drop.status == 0 && drop.stdout == "Dropped 1 refused change(s).\n", "\(drop.stderr)")
        #expect((try team.json("vic", ["rejected"]) as? [Any])?.isEmpty == true)
        #expect(try show(team, "vic", id)["title"] as? String == "Vic's view")
        let bad = try team.brief("vic", ["rejected", "drop", "ffff"])
        #expect(bad.status == 1 && bad.stderr == "error: no refused change with id 'ffff'; see 'brief rejected'\n")
        let usage = try team.brief("vic", ["rejected", "retry"])
        #expect(usage.status == 2 && usage.stderr.contains("either a refused change's id or --all"))
    }

    /// An oversize briefing is refused at import with the limit stated, and changes nothing.
    @Test func oversizeBriefingsAreRefusedAtImport() throws {
        let team = try TeamFixture("e2e-oversize", members: [])
        defer { team.remove() }
        #expect(try team.brief("eve", ["init", "--name", "eve"]).status == 0)
        let paragraph = String(repeating: "The delegation met again and said little of substance. ", count: 20)
        let big = "Huge\nBody\n" + Array(repeating: paragraph, count: 3_000).joined(separator: "\n")
        let r = try team.brief("eve", ["import", team.dir.write("big.txt", big)])
        #expect(r.status == 1)
        #expect(
            r.stderr.hasPrefix("error: \(team.dir.file("big.txt").path) is too large to share (3.1 MiB of text;"),
            "\(r.stderr)")
        #expect(r.stderr.contains("at most 2.0 MiB as sent): split it into several files; nothing was imported"))
        let sections = "Many\n" + (1...6_000).map { "# Heading \($0)\ntext \($0)" }.joined(separator: "\n")
        let s = try team.brief("eve", ["import", team.dir.write("many.md", sections)])
        #expect(s.status == 1)
        #expect(s.stderr.contains("has 6000 sections; a briefing may have at most 5000"), "\(s.stderr)")
        let status = try team.json("eve", ["status"]) as? [String: Any] ?? [:]
        #expect(status["briefings"] as? Int == 0 && status["pending"] as? Int == 0)
    }

    /// Sync names the conflicts it brings in; status counts them.
    @Test func syncNamesNewConflictsAndStatusCountsThem() throws {
        let team = try TeamFixture("e2e-conflicts", members: [("ann", "owner"), ("bob", "editor")])
        defer { team.remove() }
        let server = try ServerProcess.start(data: team.data)
        defer { server.stop() }
        for u in ["ann", "bob"] { #expect(try team.join(u, server: server.url).status == 0) }
        let id = try team.brief("ann", ["import", team.dir.write("m.txt", Self.mekong)]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try team.brief("ann", ["sync"]).status == 0)
        #expect(try team.brief("bob", ["sync"]).status == 0)
        #expect(try team.brief("ann", ["edit", id, "--section", "Outlook", "--text", "Ann's outlook"]).status == 0)
        #expect(try team.brief("bob", ["edit", id, "--section", "Outlook", "--text", "Bob's outlook"]).status == 0)
        #expect(try team.brief("ann", ["sync"]).status == 0)
        let bob = try team.brief("bob", ["sync"])
        #expect(bob.status == 0)
        #expect(bob.stdout.contains("new conflict "), "\(bob.stdout)")
        #expect(
            bob.stdout.contains(" on \(id.prefix(8)) 'Outlook': bob vs ann; see 'brief conflicts'"), "\(bob.stdout)")
        let ann = try team.brief("ann", ["sync"])
        #expect(ann.stdout.contains("new conflict "), "\(ann.stdout)")
        for u in ["ann", "bob"] {
            #expect((try team.json(u, ["status"]) as? [String: Any])?["conflicts"] as? Int == 1)
            #expect(try team.brief(u, ["status"]).stdout.contains("conflicts   1 open: see 'brief conflicts'"))
        }
    }

    /// `brief logout` that cannot reach the server keeps the token (0600) until it is revoked.
    @Test func logoutWhileOfflineRevokesLater() async throws {
        let team = try TeamFixture("e2e-logout", members: [("ann", "editor")])
        defer { team.remove() }
        let port = ServerProcess.freePort()
        var server = try ServerProcess.start(data: team.data, port: port)
        defer { server.stop() }
        #expect(try team.join("ann", server: server.url).status == 0)
        let credentials = URL(fileURLWithPath: team.home("ann")).appendingPathComponent("credentials.json")
        let token = try #require(
            (try JSONSerialization.jsonObject(with: Data(contentsOf: credentials)) as? [String: Any])?["token"]
                as? String)
        #expect(try await HTTPProbe.status(server.url + "/v1/me", token: token) == 200)
        server.stop()

        let offline = try team.brief("ann", ["logout"])
        #expect(offline.status == 1)
        #expect(offline.stderr.contains("could not be reached to revoke the token; it is kept (mode 0600)"))
        let pending = URL(fileURLWithPath: team.home("ann")).appendingPathComponent("revoke-pending.json")
        let mode = try FileManager.default.attributesOfItem(atPath: pending.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(!FileManager.default.fileExists(atPath: credentials.path))
        #expect(try team.brief("ann", ["status"]).stdout.contains("1 old token(s) not yet revoked"))
        #expect(try team.brief("ann", ["sync"]).status == 1)

        server = try ServerProcess.start(data: team.data, port: port)
        #expect(try await HTTPProbe.status(server.url + "/v1/me", token: token) == 200)
        let online = try team.brief("ann", ["logout"])
        #expect(online.status == 0, "\(online.stderr)")
        #expect(!FileManager.default.fileExists(atPath: pending.path))
        #expect(try await HTTPProbe.status(server.url + "/v1/me", token: token) == 401)
    }

    /// `brief init` killed at random points leaves no replica or a whole one; either way the
    /// next command works and `init` finishes the job.
    @Test func initKilledAtRandomPointsLeavesAWholeReplicaOrNone() throws {
        let dir = TemporaryDirectory("e2e-init-kill")
        defer { dir.remove() }
        var rng = SeededGenerator(seed: 80)
        print("initKilledAtRandomPoints: seed 80")
        var whole = 0
        var none = 0
        for i in 0..<30 {
            let home = dir.file("h\(i)").path
            let delay = UInt32.random(in: 0..<40_000, using: &rng)
            let killed = try ProcessRunner.runKilled(
                "brief", ["init", "--name", "k", "--home", home], afterMicroseconds: delay
            ).killed
            let file = dir.file("h\(i)/replica.sqlite").path
            if FileManager.default.fileExists(atPath: file) {
                whole += 1
                let status = try ProcessRunner.run("brief", ["status", "--json", "--home", home])
                #expect(status.status == 0, "kill after \(delay) µs (\(killed)): \(status.stderr)")
                let id =
                    (try? JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?[
                        "replica"] as? String
                #expect(id?.count == 16, "kill after \(delay) µs: replica id \(id ?? "none")")
            } else {
                none += 1
                let again = try ProcessRunner.run("brief", ["init", "--name", "k", "--home", home])
                #expect(again.status == 0, "kill after \(delay) µs: \(again.stderr)")
            }
        }
        print("initKilledAtRandomPoints: \(whole) whole replica(s), \(none) none")
        #expect(whole + none == 30)
    }
}
