import Foundation
import TestSupport
import Testing

extension HabitsCLITests {
    /// `brief log -p`: each version with what it changed, named as people know the fields, a
    /// text as a line diff; `--json` gives the same as objects with `null` for unset values.
    @Test func logPatchShowsReadableDiffs() throws {
        let team = try TeamFixture("habits-log-p", members: [("sam", "editor")])
        defer { team.remove() }
        let server = try ServerProcess.start(data: team.data)
        defer { server.stop() }
        #expect(try team.join("sam", server: server.url, team: "analysts").status == 0)
        let text = "# Talks\n\n## Key Topics\n\nLine one.\nLine two.\nLine three.\nLine four.\nLine five.\n"
        let id = try team.brief("sam", ["import", team.dir.write("t.md", text)]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try team.brief("sam", ["sync"]).status == 0)
        let edited = "Line one.\nLine 2.\nLine three.\nLine four.\nLine five.\nLine six."
        #expect(try team.brief("sam", ["edit", id, "--section", "Key Topics", "--text", edited]).status == 0)
        #expect(try team.brief("sam", ["sync"]).status == 0)
        #expect(try team.brief("sam", ["set", id, "--title", "US talks"]).status == 0)
        #expect(try team.brief("sam", ["tag", id, "asia"]).status == 0)
        #expect(try team.brief("sam", ["sync"]).status == 0)

        let out = try team.brief("sam", ["log", "-p", id])
        #expect(out.status == 0, "\(out.stderr)")
        // Version headers carry a time; the rest is exact.
        let body = out.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("version ") ? String($0.prefix(9)) : String($0) }.joined(separator: "\n")
        #expect(
            body == """
                version 1
                  title:
                    + Talks
                  section order:
                    + key-topics
                  status:
                    + draft
                  team:
                    + analysts
                  heading of section "Key Topics":
                    + Key Topics
                  heading level of section "Key Topics":
                    + 2
                  section "Key Topics":
                    + Line one.
                    + Line two.
                    + Line three.
                    + Line four.
                    + Line five.

                version 2
                  section "Key Topics":
                      Line one.
                    - Line two.
                    + Line 2.
                      Line three.
                    …
                      Line five.
                    + Line six.

                version 3
                  title:
                    - Talks
                    + US talks

                version 4
                  tags:
                    + asia


                """, "\(out.stdout)")
        let json = try #require(try team.json("sam", ["log", "-p", id]) as? [[String: Any]])
        #expect(json.map { $0["version"] as? Int } == [1, 2, 3, 4])
        let title = (json[2]["changes"] as? [[String: Any]])?.first
        #expect(title?["field"] as? String == "title" && title?["before"] as? String == "Talks")
        let added = (json[0]["changes"] as? [[String: Any]])?.first
        #expect(added?["before"] is NSNull && added?["after"] as? String == "Talks", "\(String(describing: added))")
    }
}
