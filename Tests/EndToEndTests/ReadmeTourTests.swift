import Foundation
import TestSupport
import Testing

/// The README's tour of `brief`, run as written, in order, by bash against a real briefd: if a
/// command in it stops working (or its example stops making sense), this fails.
@Suite struct ReadmeTourTests {
    /// The tour's shell block, from the README next to these tests.
    static func tour() throws -> String {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.range(of: "## A tour of `brief`"))
        let rest = text[section.upperBound...]
        let open = try #require(rest.range(of: "```sh\n"))
        let close = try #require(rest[open.upperBound...].range(of: "```\n"))
        return String(rest[open.upperBound..<close.lowerBound])
    }

    /// A briefing the tour's quotes are in: "Taiwan" three times (the third in Key Topics),
    /// "face-to-face talks", a word starting with "defen".
    static let talks = """
        US–China Defence Talks

        Setting the Scene
        Hegseth and Dong held face-to-face talks in Kuala Lumpur. Taiwan came up first.

        Taiwan-Strait Issues
        Both sides restated their positions on Taiwan.

        Key Topics
        Patrols near Taiwan and a defence hotline.
        """

    @Test func theTourRunsAsWritten() throws {
        let team = try TeamFixture("readme-tour", members: [("alice", "owner")])
        defer { team.remove() }
        try team.addUser("bob")
        _ = try ProcessRunner.run("briefd", ["team", "add", "europe", "--data", team.data])
        try team.setRole("alice", "editor", team: "europe")
        let server = try ServerProcess.start(data: team.data)
        defer { server.stop() }
        let work = team.dir.file("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try Self.talks.write(to: work.appendingPathComponent("talks.txt"), atomically: true, encoding: .utf8)

        let tour = try Self.tour()
        #expect(tour.contains("brief init") && tour.contains("brief sync"))
        // `sync --watch` runs until stopped; the README's server address is this test's.
        let script = tour.split(separator: "\n").filter { !$0.contains("sync --watch") }.joined(separator: "\n")
            .replacingOccurrences(of: "http://127.0.0.1:8080", with: server.url)
        let bin = ProcessRunner.productsDirectory.path
        let home = team.dir.file("home").path
        let r = try ProcessRunner.runTool(
            "/bin/bash", ["-euo", "pipefail", "-xc", "cd '\(work.path)'\n" + script],
            environment: [
                "PATH": bin + ":/usr/bin:/bin", "HOME": home, "PASSWORD": TeamFixture.password,
                "NEW_PASSWORD": "a-new-pass-phrase", "NO_COLOR": "1", "LANG": "C.UTF-8", "BRIEF_HOME": "",
                "XDG_DATA_HOME": "", "XDG_CONFIG_HOME": "", "BRIEF_CONFIG": "",
            ])
        #expect(r.status == 0, "the tour stopped:\n\(r.stderr.suffix(3000))")
        // What the tour did is there: the briefing moved to europe, bob in the team, a new password.
        let members = try ProcessRunner.runTool(
            "/bin/sh",
            [
                "-c",
                "printf '%s\\n' a-new-pass-phrase | '\(bin)/brief' login --server \(server.url) --user alice --password-stdin --team europe >/dev/null && '\(bin)/brief' members --team analysts && '\(bin)/brief' sync >/dev/null && '\(bin)/brief' list --json",
            ],
            environment: [
                "HOME": home, "PATH": "/usr/bin:/bin", "BRIEF_HOME": "", "XDG_DATA_HOME": "", "XDG_CONFIG_HOME": "",
                "BRIEF_CONFIG": "",
            ])
        #expect(members.status == 0, "\(members.stderr)")
        #expect(members.stdout.hasPrefix("Team analysts:\nalice  owner\nbob    editor\n"), "\(members.stdout)")
        #expect(members.stdout.contains("\"title\" : \"US–China Defence Talks\""))
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("talks.md").path))
    }
}
