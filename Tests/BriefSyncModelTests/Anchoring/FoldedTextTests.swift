import BriefSyncModel
import Testing

/// `FoldedText` folds ASCII without building characters: it must give exactly what folding
/// character by character gives, on text where ASCII meets what can join it.
@Suite struct FoldedTextTests {
    /// Pieces that stress the fast path's edges: CR LF and lone CR/LF, ASCII before combining
    /// marks, keycaps and ZWJ, a prepend mark before ASCII, every kind of white space, the
    /// dashes and quotes the fold maps, case that lowercases to more than one code point.
    static let pieces: [String] = [
        "a", "Z", "q", "7", "-", "'", "\"", ".", " ", "\t", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}", "\u{1C}",
        "\u{85}", "\u{A0}", "\u{2028}", "\u{3000}", "\u{301}", "\u{308}", "\u{200D}", "\u{FE0F}", "\u{20E3}",
        "\u{0600}", "\u{2011}", "\u{2014}", "\u{2212}", "\u{2018}", "\u{201D}", "\u{FF02}", "\u{130}", "ß", "Σ",
        "É", "e\u{301}", "👩🏽‍💻", "🇫🇷", "\u{1100}\u{1161}", "\u{FF21}", "#\u{FE0F}\u{20E3}", "ﬁ",
        "K", "k", "\u{212A}", ";", "\u{37E}", "\u{0}",
    ]

    @Test(arguments: Array(UInt64(1)...UInt64(30)))
    func foldsAsCharacterByCharacter(seed: UInt64) {
        var rng = SeededGen(seed: seed)
        for round in 0..<40 {
            let count = Int(rng.next() % 60)
            let text = (0..<count).map { _ in Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))] }.joined()
            for caseless in [false, true] {
                #expect(
                    FoldedText(text, caseless: caseless) == FoldedText(characterwise: text, caseless: caseless),
                    "seed \(seed), round \(round), caseless \(caseless): \(text.unicodeScalars.map(\.value))")
            }
        }
    }

    @Test func keepsRealPositions() {
        let text = "A\r\nB  e\u{301}\u{2014}X"
        let folded = FoldedText(text)
        #expect(folded.chars == ["a", " ", "b", " ", "é", "-", "x"])
        #expect(folded.starts == [0, 1, 3, 4, 6, 8, 9])
        #expect(folded.ends == [1, 3, 4, 6, 8, 9, 10])
    }

    /// Matching compares ASCII bytes where both sides are one ASCII code point and characters
    /// otherwise: the same places as comparing characters throughout.
    @Test(arguments: Array(UInt64(1)...UInt64(30)))
    func findsWhatCharacterComparisonFinds(seed: UInt64) {
        var rng = SeededGen(seed: seed)
        func piece() -> String { Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))] }
        for round in 0..<40 {
            let text = (0..<Int(rng.next() % 80)).map { _ in piece() }.joined()
            let quote = (0..<(1 + Int(rng.next() % 3))).map { _ in piece() }.joined()
            let expected = Anchoring.characterwiseMatches(of: quote, in: text)
            #expect(
                Anchoring.matches(of: quote, in: text) == expected,
                "seed \(seed), round \(round): \(quote.unicodeScalars.map(\.value)) in \(text.unicodeScalars.map(\.value))"
            )
        }
    }

    @Test func aKelvinSignIsTheLetterK() {
        #expect(Anchoring.matches(of: "K", in: "0 \u{212A} 1") == [2..<3])
        #expect(Anchoring.matches(of: "\u{212A}", in: "K") == [0..<1])
    }
}
