import Foundation
import TestSupport
import Testing

extension HabitsCLITests {
    /// `brief list` shows a page of 50 and says how to see the rest; `--json` is whole unless a
    /// page is asked for.
    @Test func listIsPaginated() throws {
        let dir = TemporaryDirectory("habits-list")
        defer { dir.remove() }
        let home = dir.file("home").path
        func brief(_ args: [String]) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", home])
        }
        #expect(try brief(["init", "--name", "wes"]).status == 0)
        let files = (1...60).map { dir.write("b\($0).md", "# Briefing \($0)\n\nText.\n") }
        #expect(try brief(["import"] + files).status == 0)
        func rows(_ text: String) -> [Substring] {
            text.split(separator: "\n").filter { $0.contains("Briefing ") }
        }
        let first = try brief(["list"]).stdout
        #expect(rows(first).count == 50)
        #expect(first.hasSuffix("… 10 more: brief list --offset 50, or --all\n"), "\(first.suffix(200))")
        let next = try brief(["list", "--offset", "50"]).stdout
        #expect(rows(next).count == 10 && !next.contains("more:"))
        #expect(Set(rows(first) + rows(next)).count == 60)
        #expect(rows(try brief(["list", "--all"]).stdout).count == 60)
        let paged = try brief(["list", "--limit", "20", "--offset", "20"]).stdout
        #expect(rows(paged).count == 20 && paged.hasSuffix("… 20 more: brief list --offset 40 --limit 20, or --all\n"))
        func json(_ args: [String]) throws -> Int {
            let r = try brief(["list", "--json"] + args)
            return (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [Any])?.count ?? -1
        }
        #expect(try json([]) == 60)
        #expect(try json(["--limit", "5"]) == 5)
        #expect(try json(["--limit", "5", "--offset", "58"]) == 2)
        #expect(try brief(["list", "--limit", "0"]).status == 2)
        #expect(try brief(["list", "--all", "--limit", "3"]).status == 2)
    }
}
