import BriefSyncModel
import Foundation
import TestSupport

/// `brief-bench anchor`: what anchoring costs on a long briefing — folding its text, finding a
/// typed quote (`brief annotate`), re-anchoring every annotation (`brief show`) — against
/// folding character by character and comparing `Character`s, the way it was before, in the
/// same run, alternating.
enum AnchorBench {
    static func run(characters: Int) {
        var rng = SeededGenerator(seed: 12)
        let words = [
            "talks", "Beijing", "Washington", "military", "channels", "crisis", "communication", "the", "of",
            "and", "maritime", "incidents", "“hotline”", "resumed", "2023", "—", "défense", "officials", "said",
            "inspection", "regimes", "remain", "sticking", "point.", "Taiwan‑strait", "tensions,",
        ]
        var text = ""
        while text.unicodeScalars.count < characters {
            text += words[Int(rng.next() % UInt64(words.count))]
            text += rng.next() % 12 == 0 ? "\n\n" : " "
        }
        let section = Section(key: "body", heading: "Body", text: text)
        let scalars = Array(text.unicodeScalars)
        let anchors = (0..<150).map { _ -> Anchor in
            let start = Int(rng.next() % UInt64(scalars.count - 40))
            return Anchor(section: "body", text: text, range: start..<(start + 24))
        }
        let quote = anchors[0].exact
        let runs = 21
        var t: [[Double]] = [[], [], [], [], []]
        for _ in 0..<runs {
            t[0].append(median(1) { _ in _ = FoldedText(characterwise: text, caseless: false) })
            t[1].append(median(1) { _ in _ = FoldedText(text, caseless: false) })
            t[2].append(median(1) { _ in _ = Anchoring.characterwiseMatches(of: quote, in: text) })
            t[3].append(median(1) { _ in _ = Anchoring.matches(of: quote, in: text) })
            t[4].append(
                median(1) { _ in
                    let folded = [FoldedText(text)]
                    for a in anchors { _ = Anchoring.place(a, in: [section], folded: folded) }
                })
        }
        let m = t.map { $0.sorted()[runs / 2] }
        print("brief-bench anchor: a \(scalars.count)-character briefing, \(runs) runs each, median ms")
        print(String(format: "fold, character by character (baseline)  %8.2f ms", m[0]))
        print(String(format: "fold, ASCII from the bytes                %8.2f ms   %.1fx faster", m[1], m[0] / m[1]))
        print(String(format: "find a quote, characters (baseline)       %8.2f ms", m[2]))
        print(String(format: "find a quote, as annotate does            %8.2f ms   %.1fx faster", m[3], m[2] / m[3]))
        print(String(format: "re-anchor 150 annotations, as show does   %8.2f ms   %.3f ms each", m[4], m[4] / 150))
    }

}
