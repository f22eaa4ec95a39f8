import Foundation
import TestSupport
import Testing

extension HabitsCLITests {
    /// The stderr of a `--json` run, as one JSON object.
    static func jsonError(_ r: ProcessRunner.Result) -> [String: Any] {
        #expect(r.stderr.hasSuffix("}\n") && r.stderr.filter { $0 == "\n" }.count == 1, "\(r.stderr)")
        return (try? JSONSerialization.jsonObject(with: Data(r.stderr.utf8)) as? [String: Any]) ?? [:]
    }

    /// With `--json`, errors are one JSON object on stderr (code, message, exit status), whatever
    /// found them: the replica, the parser or the server.
    @Test func errorsAreJSONWithJSON() throws {
        let dir = TemporaryDirectory("habits-json-errors")
        defer { dir.remove() }
        let home = dir.file("home").path
        let missing = try ProcessRunner.run("brief", ["--json", "list", "--home", home])
        #expect(missing.status == 1 && missing.stdout.isEmpty)
        let noReplica = Self.jsonError(missing)
        #expect(noReplica["error"] as? String == "notInitialized" && noReplica["exitCode"] as? Int == 1)
        #expect((noReplica["message"] as? String)?.hasPrefix("no replica at \(home)") == true, "\(noReplica)")
        #expect(try ProcessRunner.run("brief", ["init", "--name", "wes", "--home", home]).status == 0)
        let unknown = try ProcessRunner.run("brief", ["show", "abcdef12", "--json", "--home", home])
        #expect(unknown.status == 1)
        #expect(Self.jsonError(unknown)["error"] as? String == "notFound")
        let usage = try ProcessRunner.run("brief", ["show", "--json", "--home", home])
        #expect(usage.status == 2)
        let parsed = Self.jsonError(usage)
        #expect(parsed["error"] as? String == "usage" && parsed["exitCode"] as? Int == 2)
        #expect((parsed["message"] as? String)?.contains("Missing expected argument '<id>'") == true, "\(parsed)")
        // Full ids in every answer, whatever prefix was typed.
        let file = dir.write("t.md", "# Talks\n\n## Key Topics\n\nShipping lanes.\n")
        let id = try ProcessRunner.run("brief", ["import", file, "--home", home]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let note = try ProcessRunner.run(
            "brief", ["annotate", String(id.prefix(6)), "--quote", "lanes", "--kind", "watch", "--home", home]
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let answers: [([String], String)] = [
            (["tag", String(id.prefix(6)), "asia"], id), (["set", String(id.prefix(5)), "--status", "published"], id),
            (["note", String(note.prefix(6)), "--text", "n"], note),
            (["watch", String(note.prefix(6)), "--close"], note),
            (["untag", String(id.prefix(4)), "asia"], id), (["rm", String(note.prefix(7))], note),
        ]
        for (args, full) in answers {
            let r = try ProcessRunner.run("brief", args + ["--json", "--home", home])
            let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            #expect(object?["id"] as? String == full && full.count == 36, "\(args): \(r.stdout)\(r.stderr)")
        }
        // Without --json the same error is one line of text.
        let text = try ProcessRunner.run("brief", ["show", "abcdef12", "--home", home])
        #expect(
            text.stderr == "error: no briefing with id 'abcdef12'; see 'brief list' or 'brief show ID'\n",
            "\(text.stderr)")
    }

    /// `brief sync --json`: the summary on stdout lists each refusal as an object; the exit
    /// status 3 comes with a JSON error on stderr.
    @Test func syncRefusalsAreObjects() throws {
        let team = try TeamFixture("habits-json-refused", members: [("vic", "viewer")])
        defer { team.remove() }
        let server = try ServerProcess.start(data: team.data)
        defer { server.stop() }
        #expect(try team.join("vic", server: server.url).status == 0)
        let id = try team.brief("vic", ["import", team.dir.write("m.txt", "Mekong\n\nWater levels fall.\n")])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let sync = try team.brief("vic", ["sync", "--json"])
        #expect(sync.status == 3)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(sync.stdout.utf8)) as? [String: Any])
        let refusals = try #require(summary["rejected"] as? [[String: Any]])
        #expect(refusals.count == 1)
        #expect(refusals.first?["id"] as? String == id && refusals.first?["kind"] as? String == "briefing")
        #expect((refusals.first?["mutation"] as? String)?.count == 36)
        #expect(
            refusals.first?["reason"] as? String
                == "your role in team 'analysts' is viewer; to write briefings you need editor or above")
        let error = Self.jsonError(sync)
        #expect(error["error"] as? String == "refused" && error["exitCode"] as? Int == 3)
    }
}
