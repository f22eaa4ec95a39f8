import BriefSyncModel
import Foundation
import TestSupport
import Testing

@Suite struct BriefingParserTests {
    let parser = BriefingParser()

    @Test func plainTextHeadingsParagraphsAndBullets() throws {
        let p = try parser.parse(Samples.plain)
        #expect(p.title == "Grain Corridor Talks Resume")
        #expect(p.sections.map(\.key) == ["setting-the-scene", "key-topics", "what-to-watch-next"])
        #expect(p.sections.map(\.heading) == ["Setting the Scene", "Key Topics", "What to Watch Next"])
        #expect(
            p.sections[2].text
                == "- Whether insurers resume cover by April.\n- A second round of talks in Geneva.\n- Inspection teams agreed in principle."
        )
        #expect(p.sections[0].text.hasPrefix("On 3 March, negotiators met"))
    }

    @Test func markdownHeadings() throws {
        let p = try parser.parse(Samples.markdown)
        #expect(p.title == "Semiconductor Export Controls")
        #expect(p.sections.map(\.heading) == ["Summary", "Key Topics", "What to Watch Next"])
        #expect(
            p.sections[1].text
                == "* Licensing thresholds move from 4800 TOPS to 2400 TOPS.\n* Cloud access is covered for the first time."
        )
    }

    @Test func noHeadingsIsOneSection() throws {
        let p = try parser.parse(Samples.noHeadings)
        #expect(p.title == "Quick note on the ministerial.")
        #expect(p.sections.count == 1)
        #expect(p.sections[0].key == "body")
        #expect(p.sections[0].heading == "")
        #expect(p.sections[0].text.hasPrefix("The ministers met"))
    }

    @Test func unicodeAndCRLF() throws {
        let crlf = Samples.unicode.replacingOccurrences(of: "\n", with: "\r\n")
        let p = try parser.parse(crlf)
        #expect(p.title == "Café Diplomacy: 北京 and Zürich")
        #expect(p.sections.map(\.heading) == ["Overview", "Risks"])
        #expect(!p.sections[0].text.contains("\r"))
        #expect(p.sections[1].text == "Emoji in notes 👩🏽‍💻 must keep their code-point offsets.")
    }

    @Test func givenTitleKeepsTheFirstLineAsContent() throws {
        let p = try parser.parse(Samples.plain, title: "Grain")
        #expect(p.title == "Grain")
        #expect(p.sections.first?.heading == "Grain Corridor Talks Resume")
    }

    @Test func duplicateHeadingsGetDistinctKeys() throws {
        let p = try parser.parse("T\n# Notes\nA.\n# Notes\nB.\n")
        #expect(p.sections.map(\.key) == ["notes", "notes-2"])
    }

    @Test func emptyDocumentsAreRefused() {
        #expect(throws: BriefingParser.Failure.empty) { try parser.parse("") }
        #expect(throws: BriefingParser.Failure.empty) { try parser.parse(" \n\t\n") }
    }

    @Test func aRealShapedBriefingKeepsItsStructure() throws {
        // The shape of a real briefing (plain-text headings, curly quotes, U+2011 hyphens, a
        // bullet list, a closing section), written here so the test runs on any clone.
        let text = """
            Setting the Scene
            On 31 October the two ministers met face‑to‑face in Kuala Lumpur.
            Officials called the meeting “good and constructive”.
            What to Watch Next
            - Follow‑up meetings between defence officials.
            - A possible crisis hotline.
            Final Thoughts
            The talks lowered the temperature without settling anything.
            """
        let p = try parser.parse(text, title: "US–China defence talks")
        #expect(p.sections.first?.heading == "Setting the Scene")
        #expect(p.sections.contains { $0.heading == "What to Watch Next" && $0.text.hasPrefix("- Follow‑up meetings") })
        #expect(p.sections.last?.heading == "Final Thoughts")
    }
}

@Suite struct SectionKeyTests {
    /// Found by fuzzing: a heading whose slug equals a numbered repeat must not share its key.
    @Test func repeatedHeadingsNeverShareAKey() throws {
        let parsed = try BriefingParser().parse("Title\nA\ntext\nA\nmore\nA 2\nthird\n")
        #expect(parsed.sections.map(\.key) == ["a", "a-2", "a-2-2"])
        #expect(parsed.sections.map(\.text) == ["text", "more", "third"])
    }
}
