import Foundation
import TestSupport
import Testing

/// A server restored from an older backup, then its clients' syncs, through the built binaries:
/// nothing any client held is lost and no edit replaces another without a merge or a conflict.
@Suite struct RestoreHealCLITests {
    static let briefing = BackupCLITests.briefing

    func show(_ team: TeamFixture, _ user: String, _ id: String) throws -> String {
        try team.brief(user, ["show", id, "--json"]).stdout
    }

    @Test func restoreToAnOlderBackupThenSyncsLoseNothing() throws {
        let team = try TeamFixture(
            "e2e-restore-heal", members: [("ann", "editor"), ("ben", "editor"), ("cat", "editor")])
        defer { team.remove() }
        var server = try ServerProcess.start(data: team.data)
        defer { server.stop() }
        for m in ["ann", "ben", "cat"] { #expect(try team.join(m, server: server.url).status == 0) }
        let id = try team.brief("ann", ["import", team.dir.write("b.txt", Self.briefing)]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        for m in ["ann", "ben", "cat"] { #expect(try team.brief(m, ["sync"]).status == 0) }
        let backup = team.dir.file("older.backup").path
        #expect(try ProcessRunner.run("briefd", ["backup", "--data", team.data, "--to", backup]).status == 0)

        // Acknowledged after the backup: ann's note, her edit, and a second briefing.
        #expect(try team.brief("ann", ["annotate", id, "--quote", "talks", "--note", "ann's note"]).status == 0)
        #expect(
            try team.brief(
                "ann", ["edit", id, "--section", "agenda", "--text", "Hello world. The talks resume in June."]
            )
            .status == 0)
        let second = try team.brief("ann", ["import", team.dir.write("c.txt", "Second\nOnly section\nBody.\n")]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try team.brief("ann", ["sync"]).status == 0)
        // ben saw all of it; ben's own note too is acknowledged and then lost by the restore.
        #expect(try team.brief("ben", ["sync"]).status == 0)
        #expect(try team.brief("ben", ["annotate", id, "--quote", "Second", "--note", "ben's note"]).status == 0)
        #expect(try team.brief("ben", ["sync"]).status == 0)

        server.stop()
        let restored = try ProcessRunner.run("briefd", ["restore", "--from", backup, "--data", team.data, "--force"])
        #expect(restored.status == 0, "\(restored.stderr)")
        server = try ServerProcess.start(data: team.data, port: server.port)

        // cat, who never saw ann's edit, edits the same sentence on the restored server.
        #expect(
            try team.brief(
                "cat", ["edit", id, "--section", "agenda", "--text", "Hello everyone. The talks resume in May."]
            ).status == 0)
        let catSync = try team.brief("cat", ["sync"])
        #expect(catSync.status == 0, "\(catSync.stdout)\(catSync.stderr)")
        #expect(catSync.stdout.contains("restored from a backup"))
        // ben heals first: ann's edit and briefing (he may write briefings) and his own note;
        // ann's note stays on his replica for ann to push.
        let benSync = try team.brief("ben", ["sync"])
        #expect(benSync.status == 0, "\(benSync.stdout)\(benSync.stderr)")
        #expect(benSync.stdout.contains("written by others stay here"), "\(benSync.stdout)")
        #expect(try team.brief("ann", ["sync"]).status == 0)
        for m in ["cat", "ben", "ann"] { #expect(try team.brief(m, ["sync"]).status == 0) }

        // Everyone holds the same: both edits merged, both notes, the second briefing.
        let ann = try show(team, "ann", id)
        #expect(try show(team, "ben", id) == ann)
        #expect(try show(team, "cat", id) == ann)
        let doc = try JSONSerialization.jsonObject(with: Data(ann.utf8)) as? [String: Any] ?? [:]
        let sections = doc["sections"] as? [[String: Any]] ?? []
        #expect(sections.first?["text"] as? String == "Hello everyone. The talks resume in June.")
        let notes = Set((doc["annotations"] as? [[String: Any]] ?? []).compactMap { $0["note"] as? String })
        #expect(notes == ["ann's note", "ben's note"])
        #expect(try team.brief("cat", ["show", second]).status == 0)
        for m in ["ann", "ben", "cat"] {
            #expect((try team.json(m, ["rejected"]) as? [Any])?.isEmpty == true, "\(m)")
            #expect(try team.brief(m, ["status", "--json"]).stdout.contains("\"pending\" : 0"))
        }
        // And the server holds it: a new device cloned now shows exactly the same.
        try team.addUser("dan")
        try team.setRole("dan", "viewer")
        let clone = try ProcessRunner.run(
            "brief",
            ["clone", "--server", server.url, "--user", "dan", "--password-stdin", "--home", team.home("dan")],
            stdin: TeamFixture.password + "\n")
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(try show(team, "dan", id) == ann)
    }

    /// A clone cut off part-way resumes where it stopped and ends identical to a synced replica.
    @Test func interruptedCloneResumes() throws {
        let team = try TeamFixture("e2e-clone", members: [("ann", "editor"), ("ben", "viewer")])
        defer { team.remove() }
        let server = try ServerProcess.start(data: team.data)
        defer { server.stop() }
        #expect(try team.join("ann", server: server.url).status == 0)
        let files = (0..<60).map { team.dir.write("b\($0).txt", "Briefing \($0)\nPart\nText \($0).\n") }
        #expect(try team.brief("ann", ["import"] + files).status == 0)
        #expect(try team.brief("ann", ["sync"]).status == 0)

        // Pages of 7 records through a proxy that drops a connection now and then.
        let proxy = try FaultProxy(upstream: server.port, odds: .init(reset: 0.35), seed: 7)
        defer { proxy.stop() }
        let args = [
            "clone", "--server", "http://127.0.0.1:\(proxy.port)", "--user", "ben", "--password-stdin", "--page", "7",
            "--home", team.home("ben"),
        ]
        var failures = 0
        var partial = false
        var last: ProcessRunner.Result? = nil
        for _ in 0..<40 {
            let r = try ProcessRunner.run("brief", args, stdin: TeamFixture.password + "\n")
            last = r
            if r.status == 0 { break }
            failures += 1
            let held = (try? team.json("ben", ["list"]) as? [Any])?.count ?? 0
            if held > 0 && held < 60 { partial = true }
        }
        #expect(last?.status == 0, "\(last?.stderr ?? "")")
        #expect(failures > 0 && partial, "the proxy cut a clone part-way (seed 7)")
        #expect(last?.stdout.hasPrefix("Resumed and finished") == true, "\(last?.stdout ?? "")")
        #expect(last?.stderr.contains("Cloning:") == false, "no progress lines when stderr is not a terminal")
        // A clone that finished is a replica like any other.
        let again = try ProcessRunner.run("brief", args, stdin: TeamFixture.password + "\n")
        #expect(again.status == 1)
        #expect(again.stderr.contains("already holds a replica"))

        #expect(
            try team.brief("ben", ["list", "--json"]).stdout == (try team.brief("ann", ["list", "--json"]).stdout))
        let ids = (try team.json("ann", ["list"]) as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids.count == 60)
        for id in ids.prefix(5) + ids.suffix(5) {
            #expect(
                try team.brief("ben", ["show", id, "--json"]).stdout
                    == (try team.brief("ann", ["show", id, "--json"]).stdout))
        }
    }

    /// On a terminal, a clone shows its progress on one line: records pulled of the total.
    @Test func cloneShowsProgressOnATerminal() throws {
        let team = try TeamFixture("e2e-clone-tty", members: [("ann", "editor")])
        defer { team.remove() }
        let server = try ServerProcess.start(data: team.data)
        defer { server.stop() }
        #expect(try team.join("ann", server: server.url).status == 0)
        let files = (0..<3).map { team.dir.write("b\($0).txt", "Briefing \($0)\nPart\nText \($0).\n") }
        #expect(try team.brief("ann", ["import"] + files).status == 0)
        #expect(try team.brief("ann", ["sync"]).status == 0)
        let r = try ProcessRunner.runOnTerminal(
            "brief",
            [
                "clone", "--server", server.url, "--user", "ann", "--password-stdin", "--page", "2", "--home",
                team.home("ann2"),
            ], stdin: TeamFixture.password + "\n")
        #expect(r.status == 0, "\(r.stdout)")
        // Count, total, rate and time left, redrawn in place; the last draw ends the line.
        #expect(r.stdout.contains("\rCloning: 2 of 3 records, "), "\(r.stdout)")
        #expect(r.stdout.contains("\rCloning: 3 of 3 records, "), "\(r.stdout)")
        #expect(r.stdout.contains("/s\u{1B}[K\r\n"), "\(r.stdout)")
        #expect(r.stdout.contains("3 records pulled, 3 briefings."), "\(r.stdout)")
    }

    /// `briefd export` of one team and `briefd import` on another server: the team's briefings,
    /// annotations and history arrive whole.
    @Test func exportedTeamImportsOnAnotherServer() throws {
        let team = try TeamFixture("e2e-export", members: [("ann", "editor")])
        defer { team.remove() }
        let server = try ServerProcess.start(data: team.data)
        #expect(try team.join("ann", server: server.url).status == 0)
        let id = try team.brief("ann", ["import", team.dir.write("b.txt", Self.briefing)]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try team.brief("ann", ["annotate", id, "--quote", "talks", "--note", "a note"]).status == 0)
        #expect(try team.brief("ann", ["edit", id, "--section", "agenda", "--text", "Edited once."]).status == 0)
        #expect(try team.brief("ann", ["sync"]).status == 0)
        server.stop()

        let file = team.dir.file("team.json").path
        let exported = try ProcessRunner.run(
            "briefd", ["export", "--team", "analysts", "--to", file, "--data", team.data])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.contains("2 records, 3 versions, 1 members"), "\(exported.stdout)")
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let other = team.dir.file("other").path
        let imported = try ProcessRunner.run("briefd", ["import", file, "--data", other])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Added user ann with password: "))
        let twice = try ProcessRunner.run("briefd", ["import", file, "--data", other])
        #expect(twice.status == 1)
        #expect(twice.stderr.contains("already holds 2 records"))

        // Hostile files change nothing and get a clear error.
        let deep = team.dir.write("deep.json", String(repeating: "[", count: 200_000))
        let refusedDeep = try ProcessRunner.run("briefd", ["import", deep, "--data", other])
        #expect(refusedDeep.status == 1)
        #expect(refusedDeep.stderr.contains("nested more than 64 levels"), "\(refusedDeep.stderr)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let renamed = team.dir.write(
            "renamed.json",
            text.replacingOccurrences(of: "\"analysts\"", with: "\"moved\"")
                .replacingOccurrences(of: "\"section.agenda.text\"", with: "\"secret.field\""))
        let refusedField = try ProcessRunner.run("briefd", ["import", renamed, "--data", other])
        #expect(refusedField.status == 1)
        #expect(refusedField.stderr.contains("unknown field 'secret.field'"), "\(refusedField.stderr)")
        #expect(try ProcessRunner.run("briefd", ["team", "list", "--data", other]).stdout.contains("moved") == false)

        let password = imported.stdout.components(separatedBy: "password: ").last!
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let moved = try ServerProcess.start(data: other)
        defer { moved.stop() }
        let clone = try ProcessRunner.run(
            "brief",
            ["clone", "--server", moved.url, "--user", "ann", "--password-stdin", "--home", team.home("ann2")],
            stdin: password + "\n")
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(
            try team.brief("ann2", ["show", id, "--json"]).stdout
                == (try team.brief("ann", ["show", id, "--json"]).stdout))
        // The history came too: `brief log` on the new server lists both versions of the briefing.
        let log = try team.brief("ann2", ["log", id])
        #expect(log.status == 0, "\(log.stderr)")
        #expect(log.stdout.components(separatedBy: "\n").filter { $0.contains("ann") }.count == 2, "\(log.stdout)")
    }
}
