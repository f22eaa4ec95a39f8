import BriefSyncModel
import Testing

@Suite struct TextQuoteTests {
    @Test func offsetsCountCodePoints() {
        let text = "Emoji 👩🏽‍💻 then e\u{301}te\u{301} and the quote."
        let ranges = TextQuote.occurrences(of: "the quote", in: text)
        #expect(ranges.count == 1)
        let scalars = Array(text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[ranges[0]])) == "the quote")
        // 👩🏽‍💻 is 4 code points; é written with a combining mark is 2.
        #expect(ranges[0].lowerBound == 6 + 4 + 6 + 5 + 5)
    }

    @Test func anchorKeepsContext() {
        let text = String(repeating: "x", count: 40) + "QUOTE" + "tail"
        let a = Anchor(section: "s", text: text, range: 40..<45)
        #expect(a.exact == "QUOTE")
        #expect(a.prefix == String(repeating: "x", count: 32))
        #expect(a.suffix == "tail")
    }

    @Test func relocatesAfterTheTextMoves() {
        let original = "The minister said yes. Later the minister said no."
        let r = TextQuote.occurrences(of: "the minister said", in: original)[0]
        let anchor = Anchor(section: "s", text: original, range: r)
        let edited = "Preface added. " + original
        let found = TextQuote.locate(anchor, in: edited)
        #expect(found == (r.lowerBound + 15)..<(r.upperBound + 15))
        #expect(TextQuote.locate(anchor, in: "Nothing of it left.") == nil)
    }

    @Test func closestPassageSuggestsNearMisses() {
        let text = "From the South China Sea disputes, Taiwan‑strait tensions, to regional posture."
        #expect(TextQuote.closestPassage(to: "Taiwan strait tension", in: text) == "disputes, Taiwan‑strait tensions,")
        #expect(TextQuote.closestPassage(to: "zzz", in: text) == nil)
    }
}
