import Foundation
import GRDB
import TestSupport
import Testing

extension HabitsCLITests {
    /// `brief set` changes the metadata people edit by hand; the same values again change nothing;
    /// bad values are refused with nothing changed; the change reaches a team-mate.
    @Test func setChangesMetadataAndSyncsIt() throws {
        let team = try TeamFixture("habits-set", members: [("sam", "editor"), ("tom", "viewer")])
        defer { team.remove() }
        let server = try ServerProcess.start(data: team.data)
        defer { server.stop() }
        for who in ["sam", "tom"] { #expect(try team.join(who, server: server.url, team: "analysts").status == 0) }
        #expect(try team.importTalks("sam").status == 0)
        let list = try team.json("sam", ["list"]) as? [[String: Any]]
        let id = try #require(list?.first?["id"] as? String)
        let set = try team.brief(
            "sam",
            [
                "set", id, "--title", "US–China talks", "--status", "published", "--source", "Reuters",
                "--date", "2026-11-30",
            ])
        #expect(set.status == 0 && set.stdout == "Changed.\n", "\(set.stderr)")
        let again = try team.brief("sam", ["set", id, "--status", "published"])
        #expect(again.stdout == "Nothing changed: the briefing already has those values.\n")
        let bad = try team.brief("sam", ["set", id, "--title", "two\nlines"])
        #expect(bad.status == 1 && bad.stderr.hasPrefix("error: --title must be one line"))
        let wrong = try team.brief("sam", ["set", id, "--status", "lost"])
        #expect(wrong.status == 2)
        #expect(try team.brief("sam", ["sync"]).status == 0)
        #expect(try team.brief("tom", ["sync"]).status == 0)
        let shown = try #require(try team.json("tom", ["show", id]) as? [String: Any])
        #expect(shown["title"] as? String == "US–China talks" && shown["status"] as? String == "published")
        #expect(shown["source"] as? String == "Reuters" && shown["date"] as? String == "2026-11-30", "\(shown)")
    }
}

extension HabitsCLITests {
    /// `brief annotations` across briefings, with the filters a task list needs.
    @Test func annotationsListsAcrossBriefingsWithFilters() throws {
        let dir = TemporaryDirectory("habits-annotations")
        defer { dir.remove() }
        let home = dir.file("home").path
        func brief(_ args: [String]) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", home])
        }
        func items(_ args: [String]) throws -> [[String: Any]] {
            let r = try brief(["annotations", "--json"] + args)
            return (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]) ?? []
        }
        #expect(try brief(["init", "--name", "wes"]).status == 0)
        let one = dir.write("one.md", "# Talks\n\n## Key Topics\n\nShipping lanes and grain.\n")
        let two = dir.write("two.md", "# Budget\n\n## Outlook\n\nDefence spending rises.\n")
        let b1 = try #require(try brief(["import", one]).stdout.split(separator: "\n").first.map(String.init))
        let b2 = try #require(try brief(["import", two]).stdout.split(separator: "\n").first.map(String.init))
        let w1 = try #require(
            try brief(["annotate", b1, "--quote", "grain", "--note", "prices", "--kind", "watch"]).stdout
                .split(separator: "\n").first.map(String.init))
        let w2 = try #require(
            try brief(["annotate", b2, "--quote", "spending", "--note", "vote", "--kind", "watch", "--tag", "followup"])
                .stdout.split(separator: "\n").first.map(String.init))
        #expect(try brief(["annotate", b2, "--quote", "Defence", "--note", "context"]).status == 0)
        #expect(try brief(["watch", w1, "--close"]).status == 0)
        #expect(try items([]).count == 3)
        let open = try items(["--kind", "watch", "--open"])
        #expect(open.map { $0["id"] as? String } == [w2] && open.first?["briefingTitle"] as? String == "Budget")
        #expect(try items(["--kind", "watch"]).compactMap { $0["state"] as? String }.sorted() == ["closed", "open"])
        #expect(try items(["--tag", "followup"]).map { $0["id"] as? String } == [w2])
        #expect(try items(["--mine"]).count == 3)
        #expect(try items(["--kind", "question"]).isEmpty)
        let text = try brief(["annotations", "--kind", "watch", "--open"]).stdout
        #expect(text.hasPrefix("watch (open) ") && text.contains("\"Budget\"") && text.contains("    vote"), "\(text)")
    }
}

extension HabitsCLITests {
    /// The replica's views give plain columns to anyone with SQLite (docs/record-model.md).
    @Test func theReplicaReadsAsPlainColumns() throws {
        let dir = TemporaryDirectory("habits-views")
        defer { dir.remove() }
        let home = dir.file("home").path
        func brief(_ args: [String]) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", home])
        }
        #expect(try brief(["init", "--name", "vic"]).status == 0)
        let file = dir.write("t.md", "# Talks\n\n## Key Topics\n\nShipping lanes and grain.\n\n## Outlook\n\nCalm.\n")
        let id = try #require(
            try brief(["import", file, "--tag", "defence", "--tag", "asia"]).stdout.split(separator: "\n").first)
        #expect(
            try brief(["annotate", String(id), "--quote", "grain", "--note", "watch this", "--kind", "watch"]).status
                == 0)
        let db = try DatabaseQueue(path: home + "/replica.sqlite")
        try db.read { db in
            let b = try #require(try Row.fetchOne(db, sql: "SELECT title, status, tags FROM briefings_view"))
            #expect(
                b["title"] as String == "Talks" && b["status"] as String == "draft"
                    && b["tags"] as String == "asia,defence")
            let sections = try Row.fetchAll(
                db, sql: "SELECT position, heading, level, text FROM sections_view ORDER BY position")
            #expect(sections.map { $0["heading"] as String } == ["Key Topics", "Outlook"])
            #expect(sections.map { $0["level"] as Int? } == [2, 2])
            #expect(sections.map { $0["text"] as String } == ["Shipping lanes and grain.", "Calm."])
            let a = try #require(
                try Row.fetchOne(db, sql: "SELECT kind, author, quote, note, state FROM annotations_view"))
            #expect(a["kind"] as String == "watch" && a["author"] as String == "vic" && a["quote"] as String == "grain")
            #expect(a["note"] as String == "watch this" && a["state"] as String == "open")
        }
    }
}
