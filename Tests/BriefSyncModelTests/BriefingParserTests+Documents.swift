import BriefSyncModel
import Foundation
import Testing

/// Real briefings as they arrive: Markdown with levels, front matter and code, exports with
/// footnotes, HTML pages.
extension BriefingParserTests {
    @Test func headingLevelsKeepParentsAsParents() throws {
        let p = try parser.parse(
            "# Talks\n\n## Key Topics\n\n### Shipping\n\nLanes.\n\n### Grain\n\nPrices.\n\n## Outlook\n\nCalm.\n")
        #expect(p.title == "Talks")
        #expect(p.sections.map(\.heading) == ["Key Topics", "Shipping", "Grain", "Outlook"])
        #expect(p.sections.map(\.level) == [2, 3, 3, 2])
        #expect(p.sections[0].text == "")
    }

    @Test func aTitleLineVersusAFirstHeading() throws {
        // A lone `#` heading is the title.
        #expect(try parser.parse("# Talks\n\n## A\n\ntext\n").title == "Talks")
        // A document that opens with `##` keeps that section; the file name titles it.
        let opens = try parser.parse("## Summary\n\nShort.\n\n## Detail\n\nLong.\n", name: "ministerial-notes")
        #expect(opens.title == "ministerial-notes")
        #expect(opens.sections.map(\.heading) == ["Summary", "Detail"])
        // Several `#` headings are sections, not one title and siblings.
        let several = try parser.parse("# One\n\na\n\n# Two\n\nb\n", name: "both")
        #expect(several.title == "both" && several.sections.map(\.heading) == ["One", "Two"])
        #expect(several.sections.map(\.level) == [1, 1])
        // Without a name, the first heading's text.
        #expect(try parser.parse("## Summary\n\nShort.\n").title == "Summary")
        // Plain text: the first line is the title, as before.
        #expect(try parser.parse("Quick note\n\nThe ministers met.\n").title == "Quick note")
    }

    @Test func frontMatterGivesMetadata() throws {
        let text = """
            ---
            title: "US–China \\"defence\\" talks"
            source: Reuters
            date: 2025-10-31
            status: published
            tags: [defence, "asia"]
            id: 1234
            ---

            # US–China "defence" talks

            ## Key Topics

            Shipping.
            """
        let p = try parser.parse(text)
        #expect(p.title == "US–China \"defence\" talks")
        #expect(p.metadata.source == "Reuters" && p.metadata.date == "2025-10-31")
        #expect(p.metadata.status == "published" && p.metadata.tags == ["defence", "asia"])
        #expect(p.sections.map(\.heading) == ["Key Topics"])
        let list = try parser.parse("---\ntags:\n  - one\n  - two\n---\nTitle\n\nBody.\n")
        #expect(list.metadata.tags == ["one", "two"] && list.title == "Title")
        // A `---` rule that never closes is text, not front matter.
        #expect(try parser.parse("---\nTitle\n\nBody.\n").title == "---")
    }

    @Test func fencedCodeIsText() throws {
        let text = "# Notes\n\n## Script\n\n```sh\n# not a heading\n\n\n  indented  \n```\n\n## After\n\nDone.\n"
        let p = try parser.parse(text)
        #expect(p.sections.map(\.heading) == ["Script", "After"])
        #expect(p.sections[0].text == "```sh\n# not a heading\n\n\n  indented  \n```")
    }

    @Test func exportedFootnotesAreLeftOut() throws {
        let text = """
            # Talks

            ## Key Topics

            Shipping lanes[^1] and grain[^2].

            [^1]: **note** (wes) “lanes” — first

                second line <!-- annotation a -->
                - bob: agreed <!-- annotation b -->
            [^2]: **watch** (open) (wes) “grain” <!-- annotation c -->
            """
        let p = try parser.parse(text)
        #expect(p.sections.map(\.text) == ["Shipping lanes and grain."])
        // `[^x]` without a definition is the author's text.
        #expect(try parser.parse("T\n\nSee [^x] here.\n").sections[0].text == "See [^x] here.")
    }

    @Test func htmlBriefingsBecomeSections() throws {
        let html = """
            <!DOCTYPE html><html><head><title>Ignored &amp; page</title><style>h2 { color: red }</style>
            <script>document.write("<h2>fake</h2>")</script></head>
            <body><h1>US&ndash;China   talks</h1>
            <p>Met in <b>Kuala Lumpur</b> on&nbsp;31&#160;October.<br>Second line &#x2014; &lt;ok&gt;.</p>
            <h2>Key Topics</h2><!-- a comment with <h2>no</h2> -->
            <h3>Shipping</h3><ul><li>Lanes</li><li>Insurers &amp; cover</li></ul>
            <h2>Code</h2><pre>  # kept
              as is</pre>
            <p>A tag <b class="x">inside</b> and 3 < 4 &amp;c.</p></body></html>
            """
        let p = try parser.parse(html)
        #expect(p.title == "US–China talks")
        #expect(p.sections.map(\.heading) == ["", "Key Topics", "Shipping", "Code"])
        #expect(p.sections.map(\.level) == [nil, 2, 3, 2])
        #expect(
            p.sections[0].text == "Met in Kuala Lumpur on 31 October.\nSecond line — <ok>.", "\(p.sections[0].text)")
        #expect(p.sections[2].text == "- Lanes\n- Insurers & cover")
        #expect(
            p.sections[3].text == "```\n  # kept\n  as is\n```\n\nA tag inside and 3 < 4 &c.", "\(p.sections[3].text)")
        let intro = try parser.parse("<p>Only a paragraph &amp; more.</p>", name: "memo")
        #expect(intro.title == "memo" || intro.title == "Only a paragraph & more.")
    }

    @Test func hostileHTMLIsLinearAndNeverTraps() throws {
        let deep = String(repeating: "<div>", count: 20_000) + "text" + String(repeating: "</div>", count: 20_000)
        #expect(try parser.parse("<html>" + deep).title == "text")
        for sample in [
            "<html><", "<html><!--", "<html>&#xFFFFFFFFFF;", "<html>&#0;x", "<html><h9>x</h9>", "<html><script>",
        ] {
            _ = try? parser.parse(sample)
        }
    }
}
