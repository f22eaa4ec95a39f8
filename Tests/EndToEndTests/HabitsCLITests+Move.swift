import Foundation
import TestSupport
import Testing

extension HabitsCLITests {
    /// `brief move`: in place before the first sync; a copy with the mover's annotations after
    /// it; refused (or `--keep`) when others annotated; every team sees what it should.
    @Test func moveTakesABriefingToAnotherTeam() throws {
        let team = try TeamFixture("habits-move", members: [("sam", "editor"), ("eve", "commenter")])
        defer { team.remove() }
        _ = try ProcessRunner.run("briefd", ["team", "add", "europe", "--data", team.data])
        try team.setRole("sam", "editor", team: "europe")
        try team.addUser("max")
        try team.setRole("max", "viewer", team: "europe")
        let server = try ServerProcess.start(data: team.data)
        defer { server.stop() }
        #expect(try team.join("sam", server: server.url, team: "analysts").status == 0)
        #expect(try team.join("eve", server: server.url, team: "analysts").status == 0)
        #expect(try team.join("max", server: server.url, team: "europe").status == 0)
        #expect(try team.brief("sam", ["sync"]).status == 0)  // learns its teams
        func importNamed(_ name: String) throws -> String {
            let file = team.dir.write("\(name).md", "# \(name)\n\n## Body\n\nShipping lanes and grain.\n")
            return try team.brief("sam", ["import", file]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func titles(_ who: String) throws -> [String] {
            _ = try team.brief(who, ["sync"])
            return ((try team.json(who, ["list"]) as? [[String: Any]]) ?? []).compactMap { $0["title"] as? String }
                .sorted()
        }

        // Not yet synced: the team changes, the id stays.
        let fresh = try importNamed("Fresh")
        let inPlace = try team.brief("sam", ["move", fresh, "--team", "europe"])
        #expect(
            inPlace.stdout == "Moved to team europe (not yet synced, so the id stays): \(fresh)\n", "\(inPlace.stderr)")

        // Synced: copied with sam's annotation and reply, the original removed.
        let shared = try importNamed("Shared")
        let note = try team.brief("sam", ["annotate", shared, "--quote", "grain", "--note", "prices"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try team.brief("sam", ["reply", note, "--text", "rising"]).status == 0)
        let first = try team.brief("sam", ["sync"])
        #expect(first.status == 0, "\(first.stdout) \(first.stderr)")
        #expect(try titles("eve") == ["Shared"])
        let moved = try #require(try team.json("sam", ["move", shared, "--team", "europe"]) as? [String: Any])
        #expect(moved["annotations"] as? Int == 2 && moved["keptOriginal"] as? Bool == false)
        let copy = try #require(moved["id"] as? String)
        #expect(copy != shared)
        #expect(try team.brief("sam", ["sync"]).status == 0)
        #expect(try titles("max") == ["Fresh", "Shared"])
        #expect(try titles("eve") == [])
        let shown = try #require(try team.json("max", ["show", copy]) as? [String: Any])
        let notes = (shown["annotations"] as? [[String: Any]] ?? []).compactMap { $0["note"] as? String }.sorted()
        #expect(notes == ["prices", "rising"], "\(shown)")

        // Someone else annotated: refused, nothing changed; --keep copies and keeps it.
        let busy = try importNamed("Busy")
        #expect(try team.brief("sam", ["sync"]).status == 0)
        _ = try team.brief("eve", ["sync"])
        #expect(try team.brief("eve", ["annotate", busy, "--quote", "lanes", "--note", "eve's"]).status == 0)
        #expect(try team.brief("eve", ["sync"]).status == 0)
        #expect(try team.brief("sam", ["sync"]).status == 0)
        let refused = try team.brief("sam", ["move", busy, "--team", "europe"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("1 annotation(s) by eve are on this briefing"), "\(refused.stderr)")
        #expect(try team.brief("sam", ["status", "--json"]).stdout.contains("\"pending\" : 0"))
        let kept = try team.brief("sam", ["move", busy, "--team", "europe", "--keep"])
        #expect(kept.status == 0 && kept.stdout.hasSuffix("; the original stays.\n"), "\(kept.stdout)")
        #expect(try team.brief("sam", ["sync"]).status == 0)
        #expect(try titles("eve") == ["Busy"])
        #expect(try titles("max") == ["Busy", "Fresh", "Shared"])

        // Not one of your teams.
        let foreign = try team.brief("sam", ["move", busy, "--team", "secret"])
        #expect(foreign.status == 1 && foreign.stderr.hasPrefix("error: you are not in team 'secret' (your teams: "))
    }
}
