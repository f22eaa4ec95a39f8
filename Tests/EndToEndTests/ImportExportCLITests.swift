import Foundation
import TestSupport
import Testing

/// Real briefings in and out through the binary: Markdown with front matter, levels and code;
/// HTML; formats that need converting; the Markdown export and its round trip.
@Suite struct ImportExportCLITests {
    static let markdown = """
        ---
        title: "US–China defence talks"
        source: Reuters
        date: 2025-10-31
        status: published
        tags: [defence, asia]
        ---

        # US–China defence talks

        The ministers met in Kuala Lumpur.
        It was their first face-to-face meeting.

        ## Key Topics

        ### Taiwan Strait

        Patrols and exercises.

        ### Communication

        A hotline was discussed.

        ```
        # a comment, not a heading

        kept  as is
        ```

        ## Why It Matters

        Habits of engagement.
        """

    struct Replica {
        let dir = TemporaryDirectory("import-export")
        var home: String { dir.file("home").path }
        init() throws { #expect(try run(["init", "--name", "wes"]).status == 0) }
        func run(_ args: [String], stdin: String? = nil) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", home], stdin: stdin)
        }
        func id(_ r: ProcessRunner.Result) throws -> String {
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func show(_ id: String) throws -> [String: Any] {
            let r = try run(["show", id, "--json"])
            return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        }
        /// (heading, level, text) of each section.
        func sections(_ id: String) throws -> [String] {
            (try show(id)["sections"] as? [[String: Any]] ?? []).map {
                "\($0["key"] ?? "?")|\($0["heading"] ?? "?")|\($0["level"] is NSNull ? "-" : "\($0["level"] ?? "?")")|\($0["text"] ?? "?")"
            }
        }
    }

    @Test func markdownWithFrontMatterLevelsAndCode() throws {
        let r = try Replica()
        defer { r.dir.remove() }
        let id = try r.id(try r.run(["import", r.dir.write("talks.md", Self.markdown), "--tag", "weekly"]))
        let shown = try r.show(id)
        #expect(shown["title"] as? String == "US–China defence talks")
        #expect(shown["status"] as? String == "published" && shown["source"] as? String == "Reuters")
        #expect(shown["date"] as? String == "2025-10-31")
        #expect((shown["tags"] as? [String])?.sorted() == ["asia", "defence", "weekly"])
        #expect(
            try r.sections(id) == [
                "intro||-|The ministers met in Kuala Lumpur.\nIt was their first face-to-face meeting.",
                "key-topics|Key Topics|2|",
                "taiwan-strait|Taiwan Strait|3|Patrols and exercises.",
                "communication|Communication|3|A hotline was discussed.\n\n```\n# a comment, not a heading\n\nkept  as is\n```",
                "why-it-matters|Why It Matters|2|Habits of engagement.",
            ])
        // `show` draws the levels.
        let text = try r.run(["show", id]).stdout
        #expect(text.contains("## Key Topics\n") && text.contains("### Taiwan Strait\n"), "\(text)")
    }

    @Test func htmlAndFormatsThatNeedConverting() throws {
        let r = try Replica()
        defer { r.dir.remove() }
        let html =
            "<!doctype html><title>Page</title><h1>Grain talks</h1><p>Resumed.</p><h2>Outlook</h2><ul><li>Insurers &amp; cover</li></ul>"
        let id = try r.id(try r.run(["import", r.dir.write("grain.html", html)]))
        #expect(try r.show(id)["title"] as? String == "Grain talks")
        #expect(try r.sections(id) == ["intro||-|Resumed.", "outlook|Outlook|2|- Insurers & cover"])
        let pdf = try r.run(["import", r.dir.write("talks.pdf", "%PDF-1.7\n binary")])
        #expect(pdf.status == 1)
        #expect(pdf.stderr.contains("is a PDF; import its text instead: pdftotext -layout"), "\(pdf.stderr)")
        let docx = r.dir.file("talks.docx")
        try Data([0x50, 0x4B, 0x03, 0x04, 0, 0]).write(to: docx)
        let zip = try r.run(["import", docx.path])
        #expect(zip.status == 1 && zip.stderr.contains("pandoc -t gfm"), "\(zip.stderr)")
        let status = try r.run(["status", "--json"]).stdout
        #expect(status.contains("\"briefings\" : 1"))
        let badStatus = try r.run(["import", r.dir.write("bad.md", "---\nstatus: lost\n---\n# T\n\nx\n")])
        #expect(badStatus.status == 1 && badStatus.stderr.contains("the front matter's status 'lost' is not one of"))
    }

    @Test func markdownExportRendersAndRoundTrips() throws {
        let r = try Replica()
        defer { r.dir.remove() }
        let id = try r.id(try r.run(["import", r.dir.write("talks.md", Self.markdown)]))
        let late = try r.id(try r.run(["annotate", id, "--quote", "engagement", "--note", "later"]))
        let first = try r.id(try r.run(["annotate", id, "--quote", "Kuala Lumpur", "--note", "venue\nsecond line"]))
        let watch = try r.id(try r.run(["annotate", id, "--quote", "hotline", "--kind", "watch", "--note", "follow"]))
        let reply = try r.id(try r.run(["reply", first, "--text", "agreed"]))
        let exported = try r.run(["export", id])
        #expect(exported.status == 0)
        let md = exported.stdout
        #expect(
            md.hasPrefix(
                "---\nid: \(id)\ntitle: \"US–China defence talks\"\nstatus: published\nsource: \"Reuters\"\ndate: \"2025-10-31\"\ntags: [\"asia\", \"defence\"]\n---\n\n# US–China defence talks\n\n"
            ), "\(md)")
        // Lines keep their breaks when rendered; footnotes are 1, 2, 3 in reading order.
        #expect(md.contains("The ministers met in Kuala Lumpur[^1].  \nIt was their first"))
        #expect(md.contains("### Taiwan Strait\n"))
        #expect(md.contains("A hotline[^2] was discussed."))
        #expect(md.contains("Habits of engagement[^3]."))
        #expect(
            md.contains(
                "[^1]: **note** (wes) “Kuala Lumpur” — venue\n    second line <!-- annotation \(first) -->\n    - wes: agreed <!-- annotation \(reply) -->\n"
            ))
        #expect(md.contains("[^2]: **watch** (open) (wes) “hotline” — follow <!-- annotation \(watch) -->\n"))
        #expect(md.contains("[^3]: **note** (wes) “engagement” — later <!-- annotation \(late) -->\n"))
        // Re-imported, the same sections and metadata come back.
        let again = try r.id(try r.run(["import", r.dir.write("export.md", md)]))
        #expect(try r.sections(again) == r.sections(id))
        let (a, b) = (try r.show(id), try r.show(again))
        for key in ["title", "status", "source", "date", "tags"] {
            #expect("\(a[key] ?? "-")" == "\(b[key] ?? "-")", "\(key)")
        }
        #expect((b["annotations"] as? [Any])?.isEmpty == true)
        // --json and --format markdown together are refused.
        #expect(try r.run(["export", id, "--json", "--format", "markdown"]).status == 2)
    }
}
