import BriefSyncModel
import Testing

@Suite struct TextMergeTests {
    func merge(_ base: String, _ ours: String, _ theirs: String) -> TextMerge.Outcome {
        TextMerge.merge(base: base, ours: ours, theirs: theirs)
    }

    @Test func nonOverlappingLineEditsMerge() {
        let base = "one\ntwo\nthree\nfour"
        #expect(merge(base, "ONE\ntwo\nthree\nfour", "one\ntwo\nthree\nFOUR") == .merged("ONE\ntwo\nthree\nFOUR"))
    }

    @Test func adjacentLineEditsMerge() {
        #expect(merge("a\nb", "a2\nb", "a\nb2") == .merged("a2\nb2"))
    }

    @Test func sameLineDifferentWordsMergeByWords() {
        let base = "The minister met the envoy on Tuesday."
        let ours = "The prime minister met the envoy on Tuesday."
        let theirs = "The minister met the envoy on Wednesday."
        #expect(merge(base, ours, theirs) == .merged("The prime minister met the envoy on Wednesday."))
    }

    @Test func sameWordsChangedDifferentlyConflict() {
        #expect(merge("Talks on Tuesday.", "Talks on Monday.", "Talks on Friday.") == .conflict)
    }

    @Test func identicalChangesAreNotAConflict() {
        #expect(merge("x", "y", "y") == .merged("y"))
        #expect(merge("x", "x", "y") == .merged("y"))
    }

    @Test func insertionsAtTheSamePlaceConflict() {
        #expect(merge("a\nc", "a\nb1\nc", "a\nb2\nc") == .conflict)
        #expect(merge("a\nc", "a\nb\nc", "a\nc\nd") == .merged("a\nb\nc\nd"))
    }

    @Test func deletingAParagraphTheOtherSideEditsConflicts() {
        let base = "Intro.\nParagraph to go.\nOutro."
        #expect(merge(base, "Intro.\nOutro.", "Intro.\nParagraph to go, edited.\nOutro.") == .conflict)
        // A deletion and an edit of lines that are not adjacent merge.
        let longer = "Intro.\nParagraph to go.\nMiddle.\nOutro."
        #expect(
            merge(longer, "Intro.\nMiddle.\nOutro.", "Intro.\nParagraph to go.\nMiddle.\nOutro, edited.")
                == .merged("Intro.\nMiddle.\nOutro, edited."))
    }

    @Test func unicodeCombiningMarksAndEmoji() {
        let base = "Café 👩🏽‍💻 meeting\nsecond line"
        #expect(
            merge(base, "Café 👩🏽‍💻 meeting today\nsecond line", "Café 👩🏽‍💻 meeting\nsecond line 🌏")
                == .merged("Café 👩🏽‍💻 meeting today\nsecond line 🌏"))
        // A decomposed é is a different spelling: it is a change, not equal text.
        let decomposed = "Cafe\u{301} 👩🏽‍💻 meeting\nsecond line"
        #expect(merge(base, decomposed, "Café 👩🏽‍💻 meeting\nsecond LINE") == .merged("Cafe\u{301} 👩🏽‍💻 meeting\nsecond LINE"))
    }

    @Test func crlfInputMergesWithLF() {
        #expect(merge("a\nb\nc", "a\r\nB\r\nc", "a\nb\nC") == .merged("a\nB\nC"))
    }
}
