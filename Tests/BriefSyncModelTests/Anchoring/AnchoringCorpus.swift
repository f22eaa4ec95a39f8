/// Hand-written edit cases for re-anchoring: each names the passage an annotation must end on
/// (or that its passage is gone), written before the algorithm ran. `AnchoringCorpusTests`
/// scores them.
enum AnchoringCorpus {
    enum Expect {
        /// The annotation belongs inside `within` (unique in its section) of section `heading`
        /// (`"Outlook#2"`: the second section with that heading).
        case at(String, within: String)
        /// The passage is gone: any confident place is wrong.
        case gone
    }

    struct Case {
        var category: String
        var name: String
        var original: String
        var quote: String
        /// Which occurrence of the quote, counting through the sections in order (1-based).
        var occurrence: Int
        var edited: String
        var expect: Expect
    }

    static let talks = """
        US–China defence talks
        # Setting the Scene
        On 3 March, US and Chinese defence officials held face‑to‑face talks in Beijing. It was the first such meeting since 2023.
        The delegations described the session as candid and constructive.
        # Key Topics
        Taiwan Strait tensions dominated the agenda. Both sides raised maritime incidents in the South China Sea.
        The US side pressed for a military hotline that works in a crisis.
        # What to Watch Next
        Follow-up working-level talks in December. A possible crisis hotline announcement.
        """

    static let regions = """
        Regional outlook
        # France
        Growth slowed to one percent in the third quarter.
        ## Outlook
        Paris expects a modest recovery next year.
        # Germany
        Industrial output fell for the fourth month in a row.
        ## Outlook
        Berlin expects stagnation until the summer.
        # Italy
        Tourism revenue reached a record high this year.
        ## Outlook
        Rome expects steady growth.
        """

    static let grain = """
        Grain corridor
        # Summary
        Negotiators met in Istanbul to restart the grain corridor. The talks were workmanlike.
        Insurers want written guarantees before they resume cover.
        # Risks
        Inspections remain the main sticking point. Insurers may withdraw again.
        # Timeline
        Talks resume in April. A deal could follow in May.
        """

    static func edit(_ text: String, _ pairs: [(String, String)]) -> String {
        var t = text
        for (a, b) in pairs {
            precondition(t.contains(a), "corpus edit: '\(a)' not in the text")
            t = t.replacingOccurrences(of: a, with: b)
        }
        return t
    }

    /// Every case, category by category (each category in its own file).
    static var cases: [Case] {
        [insertions, rewordings, deletions, moved, headings, duplicates, unicode].flatMap { $0 }
    }

    /// Builds a category's cases with the `add` helper, which applies the edits to the original.
    static func collect(_ build: (_ add: Adder) -> Void) -> [Case] {
        var all: [Case] = []
        build { category, name, original, quote, occurrence, edits, expect in
            all.append(
                Case(
                    category: category, name: name, original: original, quote: quote, occurrence: occurrence,
                    edited: edit(original, edits), expect: expect))
        }
        return all
    }

    typealias Adder = (String, String, String, String, Int, [(String, String)], Expect) -> Void
}
