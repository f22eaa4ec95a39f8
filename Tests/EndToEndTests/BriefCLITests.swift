import Foundation
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
        let sections = show["sections"] as! [[String: Any]]
        #expect(sections.map { $0["key"] as? String } == ["setting-the-scene", "key-topics", "what-to-watch-next"])
        #expect(sections[1]["text"] as? String == "Inspections agreed.")
        #expect(sections.allSatisfy { $0["level"] is NSNull })  // plain text has no heading levels
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
        #expect(markdown.hasPrefix("---\nid: \(grain)"))
        #expect(markdown.contains("\ntitle: \"Grain Corridor Talks Resume\"\nstatus: draft\ntags: [\"urgent\"]\n---\n"))
        #expect(markdown.contains("---\n\n# Grain Corridor Talks Resume\n"))
        #expect(markdown.contains("workmanlike[^1]"))
        #expect(
            markdown.contains(
                "[^1]: **note** (alice) “workmanlike” — Cordial tone #tone <!-- annotation \(annotation) -->"))
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
            ((show["sections"] as! [[String: Any]])[1]["text"] as! String).hasPrefix(
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
