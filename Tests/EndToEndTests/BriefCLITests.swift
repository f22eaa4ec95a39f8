import Foundation
import GRDB
import TestSupport
import Testing

/// Runs the built `brief` binary as a person would.
@Suite struct BriefCLITests {
    let dir = TemporaryDirectory("cli")
    var home: String { dir.file("home").path }

    func brief(_ args: String..., stdin: String? = nil) throws -> ProcessRunner.Result {
        try ProcessRunner.run("brief", args + ["--home", home], stdin: stdin)
    }

    func json(_ r: ProcessRunner.Result) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
    }

    /// Every bad input gets one line on stderr, exit 1 (2 for usage), and changes nothing.
    func expectRefused(_ r: ProcessRunner.Result, status: Int32 = 1, containing text: String) throws {
        #expect(r.status == status, "\(r.stderr)")
        #expect(r.stderr.contains(text), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        if status == 1 { #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)") }
    }

    func pending() throws -> Int {
        (try json(try brief("status", "--json")) as! [String: Any])["pending"] as! Int
    }

    @Test func offlineTour() throws {
        defer { dir.remove() }
        #expect(try brief("init", "--name", "alice").status == 0)
        let plain = dir.write("grain.txt", Samples.plain)
        let md = dir.write("chips.md", Samples.markdown)
        let imported = try brief("import", plain, md, "--tag", "trade", "--json")
        #expect(imported.status == 0, "\(imported.stderr)")
        let ids = (try json(imported) as! [String: [String]])["ids"]!
        #expect(ids.count == 2)
        let fromStdin = try brief("import", "-", "--title", "Piped", stdin: Samples.noHeadings)
        #expect(fromStdin.status == 0 && fromStdin.stdout.count == 37)

        let list = try json(try brief("list", "--json")) as! [[String: Any]]
        #expect(list.count == 3)
        #expect(Set(list[0].keys) == ["id", "title", "sections", "annotations", "tags", "updated"])
        let table = try brief("list", "--tag", "trade")
        #expect(table.stdout.split(separator: "\n").count == 3)
        #expect(table.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })

        let grain = String(ids[0].prefix(6))
        let a = try brief("annotate", grain, "--quote", "workmanlike", "--note", "Tone?", "--tag", "tone", "--json")
        #expect(a.status == 0, "\(a.stderr)")
        let annotation = (try json(a) as! [String: String])["id"]!
        #expect(try brief("note", String(annotation.prefix(8)), "--text", "Cordial tone").status == 0)
        #expect(try brief("edit", grain, "--section", "Key Topics", "--text", "Inspections agreed.").status == 0)
        #expect(try brief("tag", grain, "urgent").status == 0)
        #expect(try brief("untag", grain, "trade").status == 0)

        let show = try json(try brief("show", grain, "--json")) as! [String: Any]
        #expect(show["title"] as? String == "Grain Corridor Talks Resume")
        #expect(show["tags"] as? [String] == ["urgent"])
        let sections = show["sections"] as! [[String: String]]
        #expect(sections.map { $0["key"]! } == ["setting-the-scene", "key-topics", "what-to-watch-next"])
        #expect(sections[1]["text"] == "Inspections agreed.")
        let annotations = show["annotations"] as! [[String: Any]]
        #expect(annotations.count == 1)
        #expect(annotations[0]["quote"] as? String == "workmanlike")
        #expect(annotations[0]["note"] as? String == "Cordial tone")
        #expect(annotations[0]["kind"] as? String == "note")
        #expect(annotations[0]["section"] as? String == "setting-the-scene")
        #expect(annotations[0]["tags"] as? [String] == ["tone"])

        let human = try brief("show", grain).stdout
        #expect(human.contains("«workmanlike»[1]"))
        #expect(human.contains("[1] note \(annotation.prefix(8)) · alice: Cordial tone #tone"))
        #expect(human.split(separator: "\n").allSatisfy { $0.count <= 80 })

        let hits = try json(try brief("search", "cordial", "--json")) as! [[String: String]]
        #expect(hits.map { $0["id"]! } == [annotation])

        let markdown = try brief("export", grain, "--format", "markdown").stdout
        #expect(markdown.hasPrefix("# Grain Corridor Talks Resume\n"))
        #expect(markdown.contains("workmanlike[^1]"))
        #expect(markdown.contains("[^1]: **note** (alice) “workmanlike” — Cordial tone #tone"))
        let exported = try json(try brief("export", grain, "--format", "json")) as! [String: Any]
        #expect((exported["annotations"] as! [Any]).count == 1)

        let watch =
            try json(try brief("annotate", grain, "--quote", "Geneva", "--kind", "watch", "--json"))
            as! [String: String]
        #expect(try brief("watch", watch["id"]!, "--close").status == 0)
        let watched =
            (try json(try brief("show", grain, "--json")) as! [String: Any])["annotations"] as! [[String: Any]]
        #expect(watched.first { $0["id"] as? String == watch["id"] }?["state"] as? String == "closed")
        try expectRefused(try brief("watch", watch["id"]!), status: 2, containing: "--close or --open")
        try expectRefused(try brief("watch", annotation, "--close"), containing: "not a watch item")
        #expect(try brief("rm", watch["id"]!).status == 0)
        #expect(try pending() == 11)
        #expect(try brief("rm", String(annotation.prefix(8))).status == 0)
        let after = try json(try brief("show", grain, "--json")) as! [String: Any]
        #expect((after["annotations"] as! [Any]).isEmpty)
        #expect(try pending() == 12)
    }

    /// `--home` and `--json` work before the subcommand as well as after it (as git's `-C`).
    @Test func globalOptionsBeforeTheSubcommand() throws {
        defer { dir.remove() }
        #expect(try ProcessRunner.run("brief", ["--home", home, "init", "--name", "ann"]).status == 0)
        let id = try ProcessRunner.run("brief", ["--home=\(home)", "import", dir.write("p.txt", Samples.plain)]).stdout
        #expect(id.count == 37, "\(id)")
        let before = try ProcessRunner.run("brief", ["--home", home, "--json", "list"])
        let after = try ProcessRunner.run("brief", ["list", "--home", home, "--json"])
        #expect(before.status == 0 && before.stdout == after.stdout, "\(before.stderr)")
        let nested = try ProcessRunner.run("brief", ["--json", "--home", home, "rejected"])
        #expect(nested.status == 0 && nested.stdout.hasPrefix("["), "\(nested.stderr)")
    }

    /// With no terminal to ask on, `login` refuses instead of sending an empty password.
    @Test func loginWithoutATerminalNeedsPasswordStdin() throws {
        defer { dir.remove() }
        #expect(try brief("init").status == 0)
        // setsid: no controlling terminal, even when the tests run from one.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        p.arguments = [
            "-w", ProcessRunner.productsDirectory.appendingPathComponent("brief").path, "login", "--server",
            "http://127.0.0.1:9", "--user", "ann", "--home", home,
        ]
        let err = Pipe()
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 1)
        #expect(message.contains("no terminal to ask for the password") && message.contains("--password-stdin"))
        #expect(!FileManager.default.fileExists(atPath: home + "/credentials.json"))
    }

    @Test func editWithoutTextOpensTheEditor() throws {
        defer { dir.remove() }
        #expect(try brief("init").status == 0)
        let id = String(try brief("import", dir.write("p.txt", Samples.plain)).stdout.prefix(8))
        let editor = ["EDITOR": "sed -i s/sticking/blocking/"]
        let r = try ProcessRunner.run(
            "brief", ["edit", id, "--section", "key-topics", "--home", home], environment: editor)
        #expect(r.status == 0, "\(r.stderr)")
        let show = try json(try brief("show", id, "--json")) as! [String: Any]
        #expect(
            (show["sections"] as! [[String: String]])[1]["text"]!.hasPrefix(
                "Inspection regimes remain the main blocking point."))
        let failing = try ProcessRunner.run("brief", ["edit", id, "--home", home], environment: ["EDITOR": "false"])
        #expect(failing.status == 1 && failing.stderr.contains("nothing changed"))
    }

    @Test func badInputIsRefusedAndChangesNothing() throws {
        defer { dir.remove() }
        try expectRefused(try brief("list"), containing: "brief init")
        #expect(try brief("init").status == 0)
        try expectRefused(try brief("init"), containing: "already exists")
        let id = String(try brief("import", dir.write("p.txt", Samples.plain)).stdout.prefix(8))
        let before = try pending()

        try expectRefused(try brief("import", dir.file("missing.txt").path), containing: "no such file")
        try expectRefused(try brief("import", dir.write("empty.txt", "\n  \n")), containing: "is empty")
        let bad = dir.file("bad.txt")
        try Data([0x48, 0x69, 0xFF, 0xFE, 0x0A]).write(to: bad)
        try expectRefused(try brief("import", bad.path), containing: "not valid UTF-8")
        try expectRefused(try brief("show", "ffff0000"), containing: "no briefing with id")
        try expectRefused(try brief("show", "ab"), containing: "at least 4 characters")
        try expectRefused(
            try brief("annotate", id, "--quote", "Inspection regime is"),
            containing:
                "closest passage: \"Inspection regimes\" (character 18: you typed ' ' (U+0020), the text has 's' (U+0073))"
        )
        try expectRefused(try brief("annotate", id, "--quote", "Inspection"), containing: "--occurrence")
        try expectRefused(
            try brief("annotate", id, "--quote", "Inspection", "--occurrence", "3"), containing: "out of range")
        try expectRefused(try brief("edit", id, "--section", "Nope", "--text", "x"), containing: "no section 'Nope'")
        try expectRefused(try brief("untag", id, "missing"), containing: "no tag missing")
        try expectRefused(try brief("search", "!!!"), containing: "no words")
        try expectRefused(try brief("annotate", id), status: 2, containing: "--quote")
        try expectRefused(try brief("annotate", id, "--quote", "x", "--kind", "poem"), status: 2, containing: "poem")
        try expectRefused(try ProcessRunner.run("brief", ["frobnicate"]), status: 2, containing: "frobnicate")
        #expect(try pending() == before)
    }
}

/// Habits of git and taskwarrior users (issue 13, first items).
@Suite struct HabitsCLITests {
    @Test func bothProgramsSayTheirVersion() throws {
        for program in ["brief", "briefd"] {
            let r = try ProcessRunner.run(program, ["--version"])
            #expect(r.status == 0 && r.stdout == "\(program) 0.5.0\n", "\(r.stdout)\(r.stderr)")
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
            if shell == "bash" {
                let dir = TemporaryDirectory("completions")
                defer { dir.remove() }
                let path = dir.write("brief.bash", script.stdout)
                #expect(try ProcessRunner.runTool("/bin/bash", ["-n", path]).status == 0)
            }
        }
    }
}

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
                db, sql: "SELECT position, heading, text FROM sections_view ORDER BY position")
            #expect(sections.map { $0["heading"] as String } == ["Key Topics", "Outlook"])
            #expect(sections.map { $0["text"] as String } == ["Shipping lanes and grain.", "Calm."])
            let a = try #require(
                try Row.fetchOne(db, sql: "SELECT kind, author, quote, note, state FROM annotations_view"))
            #expect(a["kind"] as String == "watch" && a["author"] as String == "vic" && a["quote"] as String == "grain")
            #expect(a["note"] as String == "watch this" && a["state"] as String == "open")
        }
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
