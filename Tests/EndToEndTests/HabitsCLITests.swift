import Foundation
import TestSupport
import Testing

/// Habits of git and taskwarrior users (issue 13, first items).
@Suite struct HabitsCLITests {
    /// `NAME VERSION (commit ID)`: the commit the binary was built from, as git names it here
    /// (`-dirty` with uncommitted changes; `unknown` when built outside a git checkout).
    @Test func bothProgramsSayTheirVersionAndCommit() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let head = try ProcessRunner.runTool("/usr/bin/env", ["git", "-C", repo, "rev-parse", "--short=12", "HEAD"])
        for program in ["brief", "briefd"] {
            let r = try ProcessRunner.run(program, ["--version"])
            #expect(r.status == 0 && r.stdout.hasPrefix("\(program) 0.5.0 (commit "), "\(r.stdout)\(r.stderr)")
            let id = r.stdout.dropFirst("\(program) 0.5.0 (commit ".count).prefix { $0 != ")" && $0 != "-" }
            if head.status == 0 {
                #expect(String(id) == head.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "\(r.stdout)")
            } else {
                #expect(id == "unknown", "\(r.stdout)")
            }
        }
    }

    /// `$HOME` from the environment (not the account's passwd entry), and `$XDG_DATA_HOME`
    /// where set, place the replica when neither --home nor $BRIEF_HOME says.
    @Test func theEnvironmentsHomeIsHonoured() throws {
        let dir = TemporaryDirectory("habits-home")
        defer { dir.remove() }
        let home = dir.file("home").path
        let plain = try ProcessRunner.run("brief", ["init", "--name", "hana"], environment: ["HOME": home])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(FileManager.default.fileExists(atPath: home + "/.brief/replica.sqlite"))
        let data = dir.file("xdg-data").path
        let xdg = try ProcessRunner.run(
            "brief", ["init", "--name", "hana"], environment: ["HOME": home, "XDG_DATA_HOME": data])
        #expect(xdg.status == 0, "\(xdg.stderr)")
        #expect(FileManager.default.fileExists(atPath: data + "/brief/replica.sqlite"))
        let status = try ProcessRunner.run(
            "brief", ["status", "--json"], environment: ["HOME": home, "XDG_DATA_HOME": data])
        #expect(status.stdout.contains(data + "/brief/replica.sqlite"), "\(status.stdout)")
    }

    /// After `brief logout`, `status` shows no server, user or team (as `null` in JSON), and
    /// `sync` says to log in.
    @Test func logoutClearsTheServerFromStatus() throws {
        let team = try TeamFixture("habits-logout", members: [("lou", "editor")])
        defer { team.remove() }
        let server = try ServerProcess.start(data: team.data)
        defer { server.stop() }
        #expect(try team.join("lou", server: server.url, team: "analysts").status == 0)
        let before = try team.json("lou", ["status"]) as? [String: Any]
        #expect(before?["server"] as? String == server.url && before?["team"] as? String == "analysts")
        #expect(try team.brief("lou", ["logout"]).status == 0)
        let after = try #require(try team.json("lou", ["status"]) as? [String: Any])
        #expect(after["server"] is NSNull && after["user"] is NSNull && after["team"] is NSNull, "\(after)")
        let sync = try team.brief("lou", ["sync"])
        #expect(sync.status == 1 && sync.stderr.contains("not logged in"))
        // Logging in again finds the replica's place on the server as before.
        #expect(try team.login("lou", server: server.url).status == 0)
        #expect(try team.brief("lou", ["sync"]).status == 0)
    }
}

extension HabitsCLITests {
    @Test func searchWithoutMatchesHasItsOwnExitCodeAndExportJSONIsJSON() throws {
        let dir = TemporaryDirectory("habits-search")
        defer { dir.remove() }
        let home = dir.file("home").path
        func brief(_ args: [String]) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", home])
        }
        #expect(try brief(["init", "--name", "sam"]).status == 0)
        let file = dir.write("talks.md", "# Talks\n\n## Key Topics\n\nShipping lanes and grain.\n")
        #expect(try brief(["import", file]).status == 0)
        let found = try brief(["search", "grain"])
        #expect(found.status == 0 && found.stdout.contains("Talks"))
        let none = try brief(["search", "zeppelin"])
        #expect(none.status == 4 && none.stdout == "No matches.\n" && none.stderr.isEmpty, "\(none)")
        let noneJSON = try brief(["search", "zeppelin", "--json"])
        #expect(noneJSON.status == 4 && noneJSON.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]")
        let list =
            try JSONSerialization.jsonObject(with: Data(try brief(["list", "--json"]).stdout.utf8)) as? [[String: Any]]
        let id = try #require(list?.first?["id"] as? String)
        let exported = try brief(["export", id, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: Any]
        #expect(exported.status == 0 && object?["briefing"] != nil, "\(exported.stdout.prefix(200))")
        let clash = try brief(["export", id, "--json", "--format", "markdown"])
        #expect(clash.status == 2 && clash.stderr.contains("--json and --format markdown"), "\(clash.stderr)")
    }
}

extension HabitsCLITests {
    /// Help groups the subcommands; completion scripts for bash, zsh and fish come from the
    /// parser (so they follow every command), and bash accepts its script.
    @Test func helpIsGroupedAndCompletionsAreGenerated() throws {
        let help = try ProcessRunner.run("brief", ["--help"]).stdout
        for group in ["BRIEFINGS SUBCOMMANDS:", "ANNOTATIONS SUBCOMMANDS:", "SHARING SUBCOMMANDS:"] {
            #expect(help.contains(group), "\(group)")
        }
        #expect(try ProcessRunner.run("briefd", ["--help"]).stdout.contains("ACCOUNTS SUBCOMMANDS:"))
        for shell in ["bash", "zsh", "fish"] {
            let script = try ProcessRunner.run("brief", ["--generate-completion-script", shell])
            #expect(
                script.status == 0 && script.stdout.contains("annotate") && script.stdout.contains("sync"), "\(shell)")
            let dir = TemporaryDirectory("completions")
            defer { dir.remove() }
            let path = dir.write("brief.\(shell)", script.stdout)
            if shell == "bash" {
                // Sourced and asked, it completes a subcommand and the subcommands of `member`.
                func complete(_ words: [String]) throws -> [String] {
                    let line = words.joined(separator: " ")
                    let r = try ProcessRunner.runTool(
                        "/bin/bash",
                        [
                            "-c",
                            "source '\(path)'; COMP_WORDS=(\(line)); COMP_CWORD=\(words.count - 1); COMP_LINE='\(line)'; COMP_POINT=\(line.count); _brief brief '\(words.last!)' '\(words[words.count - 2])'; printf '%s\\n' \"${COMPREPLY[@]}\"",
                        ])
                    return r.stdout.split(separator: "\n").map(String.init)
                }
                #expect(try complete(["brief", "sea"]) == ["search"])
                #expect(Set(try complete(["brief", "member", ""])).isSuperset(of: ["add", "role", "remove"]))
            }
            // zsh and fish check their scripts where they are installed (CI installs both).
            let checker = ["zsh": "/usr/bin/zsh", "fish": "/usr/bin/fish"][shell]
            if let checker, FileManager.default.isExecutableFile(atPath: checker) {
                #expect(try ProcessRunner.runTool(checker, ["-n", path]).status == 0, "\(shell)")
            } else if shell == "bash" {
                #expect(try ProcessRunner.runTool("/bin/bash", ["-n", path]).status == 0)
            } else if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("CI installs \(shell) to check its completion script")
            }
        }
    }
}
