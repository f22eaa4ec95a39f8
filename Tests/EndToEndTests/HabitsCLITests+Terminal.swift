import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension HabitsCLITests {
    /// `brief edit` without --text opens $VISUAL (before $EDITOR) on a buffer with '#:'
    /// instructions, which are left out; an unchanged buffer changes nothing and says so.
    @Test func editOpensTheChosenEditorAndAnUnchangedBufferChangesNothing() throws {
        let dir = TemporaryDirectory("habits-editor")
        defer { dir.remove() }
        let home = dir.file("home").path
        let same = dir.write("same.sh", "#!/bin/sh\ngrep -q '^#: Editing section' \"$1\" || exit 9\n")
        let append = dir.write(
            "append.sh",
            "#!/bin/sh\ngrep -q '^#: Lines starting' \"$1\" || exit 9\nprintf 'Added in the editor.\\n' >> \"$1\"\n")
        let fail = dir.write("fail.sh", "#!/bin/sh\nexit 3\n")
        for script in [same, append, fail] { chmod(script, 0o755) }
        func brief(_ args: [String], env: [String: String] = [:]) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", home], environment: env)
        }
        #expect(try brief(["init", "--name", "eda"]).status == 0)
        let file = dir.write("talks.md", "# Talks\n\n## Key Topics\n\nShipping lanes and grain.\n")
        #expect(try brief(["import", file]).status == 0)
        let id = try #require(
            (try JSONSerialization.jsonObject(with: Data(try brief(["list", "--json"]).stdout.utf8)) as? [[String: Any]])?
                .first?["id"] as? String)
        let before = try brief(["show", id, "--json"]).stdout
        let unchanged = try brief(["edit", id, "--section", "Key Topics"], env: ["VISUAL": same, "EDITOR": fail])
        #expect(
            unchanged.status == 0 && unchanged.stdout == "Nothing changed: the text was saved as it was.\n",
            "\(unchanged)")
        #expect(try brief(["show", id, "--json"]).stdout == before)
        #expect(try brief(["status", "--json"]).stdout.contains(#""pending" : 1"#), "only the import is queued")
        let failed = try brief(["edit", id, "--section", "Key Topics"], env: ["VISUAL": "", "EDITOR": fail])
        #expect(failed.status == 1 && failed.stderr.contains("the editor exited with status 3; nothing changed"))
        let edited = try brief(["edit", id, "--section", "Key Topics"], env: ["VISUAL": append])
        #expect(edited.status == 0 && edited.stdout == "Edited.\n", "\(edited)")
        let shown = try brief(["show", id]).stdout
        #expect(shown.contains("Added in the editor.") && !shown.contains("#:"), "\(shown)")
    }
}

extension HabitsCLITests {
    /// On a terminal: text fits its width, `show` has colour unless NO_COLOR is set, and output
    /// longer than the screen goes through the pager. Piped: plain, 80 columns, unpaged.
    @Test func aTerminalGetsItsWidthColourAndPager() throws {
        let dir = TemporaryDirectory("habits-terminal")
        defer { dir.remove() }
        let home = dir.file("home").path
        #expect(try ProcessRunner.run("brief", ["init", "--name", "tia", "--home", home]).status == 0)
        let long = String(repeating: "Shipping lanes and grain prices keep moving. ", count: 6)
        let file = dir.write("t.md", "# Talks\n\n## Key Topics\n\n\(long)\n")
        let id = try #require(
            try ProcessRunner.run("brief", ["import", file, "--home", home]).stdout.split(separator: "\n").first.map(
                String.init))
        func lines(_ text: String) -> [String] {
            text.replacingOccurrences(of: "\r", with: "").split(separator: "\n").map {
                String($0.replacing(#/\x1B\[[0-9;]*m/#, with: ""))
            }
        }
        let big = ["COLUMNS": "50", "LINES": "200", "TERM": "xterm", "NO_COLOR": ""]
        let coloured = try ProcessRunner.runOnTerminal("brief", ["show", id, "--home", home], environment: big)
        #expect(coloured.stdout.contains("\u{1B}[1mTalks"), "\(coloured.stdout)")
        #expect(lines(coloured.stdout).allSatisfy { $0.count <= 50 }, "\(lines(coloured.stdout))")
        var plainEnv = big
        plainEnv["NO_COLOR"] = "1"
        let plain = try ProcessRunner.runOnTerminal("brief", ["show", id, "--home", home], environment: plainEnv)
        #expect(!plain.stdout.contains("\u{1B}") && plain.stdout.contains("Talks"))
        let piped = try ProcessRunner.run("brief", ["show", id, "--home", home], environment: big)
        #expect(!piped.stdout.contains("\u{1B}"))
        #expect(lines(piped.stdout).contains { $0.count > 50 } && lines(piped.stdout).allSatisfy { $0.count <= 80 })
        let small = ["COLUMNS": "60", "LINES": "4", "TERM": "xterm", "BRIEF_PAGER": "sed 's/^/P:/'"]
        let paged = try ProcessRunner.runOnTerminal("brief", ["show", id, "--home", home], environment: small)
        #expect(lines(paged.stdout).allSatisfy { $0.hasPrefix("P:") }, "\(paged.stdout)")
        let unpaged = try ProcessRunner.run("brief", ["show", id, "--home", home], environment: small)
        #expect(!unpaged.stdout.contains("P:"))
    }
}

extension HabitsCLITests {
    /// The config file gives login defaults, the editor and the colour choice; a bad line is
    /// named with its file and line number.
    @Test func theConfigFileGivesDefaults() throws {
        let team = try TeamFixture("habits-config", members: [("cam", "editor")])
        defer { team.remove() }
        let server = try ServerProcess.start(data: team.data)
        defer { server.stop() }
        let config = team.dir.file("xdg/brief").path
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        let editor = team.dir.write("ed.sh", "#!/bin/sh\nprintf 'From the configured editor.\\n' >> \"$1\"\n")
        chmod(editor, 0o755)
        try """
        # brief's defaults
        server = \(server.url)
        user = cam
        team = analysts
        editor = \(editor)
        colour = never
        """.write(toFile: config + "/config", atomically: true, encoding: .utf8)
        let env = ["XDG_CONFIG_HOME": team.dir.file("xdg").path, "VISUAL": "false", "NO_COLOR": ""]
        func brief(_ args: [String], stdin: String? = nil) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", team.home("cam")], stdin: stdin, environment: env)
        }
        #expect(try brief(["init", "--name", "cam"]).status == 0)
        let login = try brief(["login", "--password-stdin"], stdin: TeamFixture.password + "\n")
        #expect(login.status == 0 && login.stdout.contains("as cam, team analysts"), "\(login.stderr)")
        let id = try #require(try team.importTalks("cam").stdout.split(separator: "\n").first.map(String.init))
        #expect(try brief(["edit", id, "--section", "Key Topics"]).stdout == "Edited.\n")
        #expect(try brief(["show", id]).stdout.contains("From the configured editor."))
        let onTerminal = try ProcessRunner.runOnTerminal(
            "brief", ["show", id, "--home", team.home("cam")], environment: env.merging(["TERM": "xterm"]) { $1 })
        #expect(!onTerminal.stdout.contains("\u{1B}"), "colour = never")

        try "server = \(server.url)\nshade = dark\n".write(
            toFile: config + "/config", atomically: true, encoding: .utf8)
        let bad = try brief(["login", "--password-stdin"], stdin: TeamFixture.password + "\n")
        #expect(bad.status != 0 && bad.stderr.contains("\(config)/config:2: unknown key 'shade'"), "\(bad.stderr)")
        try FileManager.default.removeItem(atPath: config + "/config")
        let missing = try brief(["login", "--password-stdin"], stdin: TeamFixture.password + "\n")
        #expect(missing.status == 2 && missing.stderr.contains("give --server URL, or set 'server = URL' in"))
    }
}
