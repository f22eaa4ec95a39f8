import Foundation
import TestSupport
import Testing

extension HabitsCLITests {
    /// Long imports and syncs show count, rate and time left on a terminal; piped, nothing.
    @Test func progressOnATerminalOnly() throws {
        let team = try TeamFixture(
            "habits-progress", members: [("sam", "editor"), ("tom", "viewer"), ("uma", "viewer")])
        defer { team.remove() }
        let server = try ServerProcess.start(data: team.data)
        defer { server.stop() }
        for who in ["sam", "tom", "uma"] {
            #expect(try team.join(who, server: server.url, team: "analysts").status == 0)
        }
        let files = (1...12).map { team.dir.write("b\($0).md", "# Briefing \($0)\n\n## Body\n\nText \($0).\n") }
        let imported = try ProcessRunner.runOnTerminal("brief", ["import"] + files + ["--home", team.home("sam")])
        #expect(imported.status == 0)
        #expect(imported.stdout.contains("Importing: 24 of 24 steps, "), "\(imported.stdout)")
        #expect(try team.brief("sam", ["sync"]).status == 0)

        let pulled = try ProcessRunner.runOnTerminal("brief", ["sync", "--page", "5", "--home", team.home("tom")])
        #expect(pulled.status == 0, "\(pulled.stdout)")
        #expect(pulled.stdout.contains("Pulling: 12 of 12 records, "), "\(pulled.stdout)")
        #expect(pulled.stdout.contains("Pushed 0, pulled 12, merged 0."))
        // Piped, the same sync prints its summary only.
        let piped = try team.brief("uma", ["sync", "--page", "5"])
        #expect(piped.stdout == "Pushed 0, pulled 12, merged 0.\n" && piped.stderr.isEmpty, "\(piped.stderr)")
        // Nothing to pull: no progress line.
        let idle = try ProcessRunner.runOnTerminal("brief", ["sync", "--home", team.home("tom")])
        #expect(!idle.stdout.contains("Pulling"), "\(idle.stdout)")
    }
}
