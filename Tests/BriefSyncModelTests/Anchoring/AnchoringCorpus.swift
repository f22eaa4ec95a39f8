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

    static var cases: [Case] {
        var all: [Case] = []
        func add(
            _ category: String, _ name: String, _ original: String, _ quote: String, _ occurrence: Int = 1,
            _ edits: [(String, String)], _ expect: Expect
        ) {
            all.append(
                Case(
                    category: category, name: name, original: original, quote: quote, occurrence: occurrence,
                    edited: edit(original, edits), expect: expect))
        }
        // MARK: insertions
        let c = "insertion"
        add(
            c, "sentence before, same paragraph", talks, "candid and constructive", 1,
            [("The delegations described", "Officials were tired. The delegations described")],
            .at("Setting the Scene", within: "candid and constructive"))
        add(
            c, "paragraph before the quote", talks, "military hotline", 1,
            [("Taiwan Strait tensions", "Trade came up briefly.\nTaiwan Strait tensions")],
            .at("Key Topics", within: "military hotline that works"))
        add(
            c, "text after the quote", grain, "written guarantees", 1,
            [("resume cover.", "resume cover. Lloyd's is watching.")],
            .at("Summary", within: "want written guarantees before"))
        add(
            c, "new section before", grain, "main sticking point", 1,
            [("# Risks", "# Background\nThe corridor closed in July.\n# Risks")],
            .at("Risks", within: "the main sticking point"))
        add(
            c, "new section at the end", talks, "crisis hotline announcement", 1,
            [("hotline announcement.", "hotline announcement.\n# Sources\nReadouts from both ministries.")],
            .at("What to Watch Next", within: "possible crisis hotline announcement"))
        add(
            c, "words inside the paragraph, far before", regions, "record high", 1,
            [("Tourism revenue", "After a slow spring, tourism revenue")],
            .at("Italy", within: "reached a record high"))
        add(
            c, "long paragraph inserted before", talks, "maritime incidents", 1,
            [
                (
                    "# Key Topics\n",
                    "# Key Topics\n" + String(repeating: "Background on earlier rounds of talks. ", count: 8) + "\n"
                )
            ],
            .at("Key Topics", within: "raised maritime incidents in"))
        add(
            c, "adjective inside the context", grain, "sticking point", 1,
            [("the main sticking", "the main remaining sticking")],
            .at("Risks", within: "remaining sticking point"))
        add(
            c, "line at the start of the section", regions, "modest recovery", 1,
            [("Paris expects", "Updated in November.\nParis expects")],
            .at("Outlook", within: "a modest recovery next year"))
        add(
            c, "clause before the quote", talks, "first such meeting since 2023", 1,
            [("It was the first", "Officially, it was the first")],
            .at("Setting the Scene", within: "the first such meeting since 2023"))
        add(
            c, "bullet list added after", grain, "A deal could follow in May", 1,
            [("follow in May.", "follow in May.\n- draft text\n- signing venue")],
            .at("Timeline", within: "A deal could follow in May"))
        add(
            c, "text inserted inside a long quote", talks,
            "The US side pressed for a military hotline that works in a crisis", 1,
            [("pressed for a military", "pressed hard for a military")],
            .at("Key Topics", within: "The US side pressed hard for a military hotline that works in a crisis"))
        // MARK: rewordings
        let r = "rewording"
        add(
            r, "one word of a long quote", talks, "described the session as candid and constructive", 1,
            [("as candid and", "as frank and")],
            .at("Setting the Scene", within: "described the session as frank and constructive"))
        add(
            r, "punctuation in the quote", grain, "Talks resume in April. A deal could follow", 1,
            [("in April. A deal", "in April; a deal")],
            .at("Timeline", within: "Talks resume in April; a deal could follow"))
        add(
            r, "case change", talks, "Taiwan Strait tensions dominated the agenda", 1,
            [("Taiwan Strait tensions", "Taiwan strait tensions")],
            .at("Key Topics", within: "Taiwan strait tensions dominated the agenda"))
        add(
            r, "reworded outside the quote", grain, "written guarantees", 1,
            [("Insurers want", "Underwriters demand")],
            .at("Summary", within: "written guarantees"))
        add(
            r, "short quote reworded away", regions, "stagnation", 1,
            [("expects stagnation", "expects a flat economy")],
            .gone)
        add(
            r, "long quote rewritten entirely", talks,
            "The US side pressed for a military hotline that works in a crisis", 1,
            [
                (
                    "The US side pressed for a military hotline that works in a crisis.",
                    "Washington wants a phone line the generals will answer."
                )
            ],
            .gone)
        add(
            r, "two words of a long quote", grain, "Negotiators met in Istanbul to restart the grain corridor", 1,
            [("met in Istanbul to restart", "gathered in Istanbul to reopen")],
            .at("Summary", within: "gathered in Istanbul to reopen the grain corridor"))
        add(
            r, "tense change", regions, "Industrial output fell for the fourth month", 1,
            [("output fell", "output has fallen")],
            .at("Germany", within: "Industrial output has fallen for the fourth month"))
        add(
            r, "number format", talks, "On 3 March, US and Chinese defence officials", 1,
            [("On 3 March,", "On March 3,")],
            .at("Setting the Scene", within: "On March 3, US and Chinese defence officials"))
        add(
            r, "synonym next to a short quote", grain, "April", 1,
            [("Talks resume in April.", "Negotiations restart in April.")],
            .at("Timeline", within: "restart in April"))
        add(
            r, "spelling fix inside the quote", regions, "Tourism revenue reached a record high", 1,
            [("Tourism revenue", "Tourist revenue")],
            .at("Italy", within: "Tourist revenue reached a record high"))
        add(
            r, "quote shortened by one word", talks, "A possible crisis hotline announcement", 1,
            [("A possible crisis hotline", "A crisis hotline")],
            .at("What to Watch Next", within: "A crisis hotline announcement"))
        // MARK: deletions
        let d = "deletion"
        add(
            d, "quoted sentence deleted, phrase elsewhere", talks, "crisis hotline announcement", 1,
            [("A possible crisis hotline announcement.", "")],
            .gone)
        add(
            d, "sentence with the only mention deleted", grain, "Insurers may withdraw again", 1,
            [(" Insurers may withdraw again.", "")],
            .gone)
        add(
            d, "short quote deleted, same word elsewhere", grain, "Insurers", 2,
            [(" Insurers may withdraw again.", "")],
            .gone)
        add(
            d, "paragraph after the quote deleted", talks, "Taiwan Strait tensions", 1,
            [("\nThe US side pressed for a military hotline that works in a crisis.", "")],
            .at("Key Topics", within: "Taiwan Strait tensions dominated"))
        add(
            d, "paragraph before the quote deleted", talks, "candid and constructive", 1,
            [
                (
                    "On 3 March, US and Chinese defence officials held face‑to‑face talks in Beijing. It was the first such meeting since 2023.\n",
                    ""
                )
            ],
            .at("Setting the Scene", within: "candid and constructive"))
        add(
            d, "whole section deleted", regions, "Berlin expects stagnation", 1,
            [("## Outlook\nBerlin expects stagnation until the summer.\n", "")],
            .gone)
        add(
            d, "section of the quote deleted, same words elsewhere", talks, "hotline", 2,
            [
                (
                    "# What to Watch Next\nFollow-up working-level talks in December. A possible crisis hotline announcement.",
                    ""
                )
            ],
            .gone)
        add(
            d, "words around the quote deleted", grain, "restart the grain corridor", 1,
            [("Negotiators met in Istanbul to restart", "Talks to restart")],
            .at("Summary", within: "restart the grain corridor"))
        add(
            d, "one word of a long quote deleted", talks, "held face‑to‑face talks in Beijing", 1,
            [("talks in Beijing", "talks, Beijing")],
            .at("Setting the Scene", within: "held face‑to‑face talks, Beijing"))
        add(
            d, "everything but the quote deleted", grain, "A deal could follow in May", 1,
            [("Talks resume in April. ", "")],
            .at("Timeline", within: "A deal could follow in May"))
        add(
            d, "the quote's line emptied", regions, "modest recovery next year", 1,
            [("Paris expects a modest recovery next year.", "(to follow)")],
            .gone)
        add(
            d, "quote deleted, a similar sentence stays", regions, "Rome expects steady growth", 1,
            [("Rome expects steady growth.", "")],
            .gone)
        // MARK: moved
        let m = "moved"
        add(
            m, "paragraph moved to another section", talks, "military hotline that works in a crisis", 1,
            [
                ("\nThe US side pressed for a military hotline that works in a crisis.", ""),
                (
                    "A possible crisis hotline announcement.",
                    "A possible crisis hotline announcement.\nThe US side pressed for a military hotline that works in a crisis."
                ),
            ],
            .at("What to Watch Next", within: "military hotline that works in a crisis"))
        add(
            m, "sentence moved to the end of its section", grain, "The talks were workmanlike", 1,
            [(" The talks were workmanlike.", ""), ("resume cover.", "resume cover. The talks were workmanlike.")],
            .at("Summary", within: "The talks were workmanlike"))
        add(
            m, "paragraphs swapped", talks, "candid and constructive", 1,
            [
                (
                    "On 3 March, US and Chinese defence officials held face‑to‑face talks in Beijing. It was the first such meeting since 2023.\nThe delegations described the session as candid and constructive.",
                    "The delegations described the session as candid and constructive.\nOn 3 March, US and Chinese defence officials held face‑to‑face talks in Beijing. It was the first such meeting since 2023."
                )
            ],
            .at("Setting the Scene", within: "candid and constructive"))
        add(
            m, "sections reordered", grain, "main sticking point", 1,
            [
                ("# Risks\nInspections remain the main sticking point. Insurers may withdraw again.\n", ""),
                (
                    "follow in May.",
                    "follow in May.\n# Risks\nInspections remain the main sticking point. Insurers may withdraw again."
                ),
            ],
            .at("Risks", within: "the main sticking point"))
        add(
            m, "sentence moved to another section", regions, "record high", 1,
            [
                ("Tourism revenue reached a record high this year.", "Tourism is seasonal."),
                (
                    "Rome expects steady growth.",
                    "Rome expects steady growth. Tourism revenue reached a record high this year."
                ),
            ],
            .at("Outlook#3", within: "reached a record high this year"))
        add(
            m, "short quote moved with its context", grain, "April", 1,
            [
                ("Talks resume in April. A deal could follow in May.", "A deal could follow in May."),
                ("Inspections remain", "Talks resume in April. Inspections remain"),
            ],
            .at("Risks", within: "Talks resume in April"))
        add(
            m, "paragraph moved and lightly edited", talks,
            "Both sides raised maritime incidents in the South China Sea", 1,
            [
                ("Both sides raised maritime incidents in the South China Sea.", ""),
                (
                    "candid and constructive.",
                    "candid and constructive.\nBoth sides raised several maritime incidents in the South China Sea."
                ),
            ],
            .at("Setting the Scene", within: "Both sides raised several maritime incidents in the South China Sea"))
        add(
            m, "quote moved to the section start", regions, "fourth month", 1,
            [
                (
                    "Industrial output fell for the fourth month in a row.",
                    "For the fourth month in a row, industrial output fell."
                )
            ],
            .at("Germany", within: "For the fourth month in a row"))
        add(
            m, "section moved to the top", talks, "working-level talks in December", 1,
            [
                (
                    "# What to Watch Next\nFollow-up working-level talks in December. A possible crisis hotline announcement.",
                    ""
                ),
                (
                    "# Setting the Scene",
                    "# What to Watch Next\nFollow-up working-level talks in December. A possible crisis hotline announcement.\n# Setting the Scene"
                ),
            ],
            .at("What to Watch Next", within: "working-level talks in December"))
        add(
            m, "moved into a new section", grain, "Insurers want written guarantees", 1,
            [
                ("\nInsurers want written guarantees before they resume cover.", ""),
                ("# Risks", "# Insurance\nInsurers want written guarantees before they resume cover.\n# Risks"),
            ],
            .at("Insurance", within: "Insurers want written guarantees"))
        add(
            m, "moved, then the old place reworded", talks, "first such meeting since 2023", 1,
            [
                ("It was the first such meeting since 2023.", "It was long awaited."),
                ("Follow-up working-level", "It was the first such meeting since 2023. Follow-up working-level"),
            ],
            .at("What to Watch Next", within: "the first such meeting since 2023"))
        add(
            m, "moved far down the same section", grain, "Negotiators met in Istanbul", 1,
            [
                ("Negotiators met in Istanbul to restart the grain corridor. ", ""),
                (
                    "resume cover.",
                    "resume cover.\n" + String(repeating: "Filler sentence. ", count: 10)
                        + "\nNegotiators met in Istanbul to restart the grain corridor."
                ),
            ],
            .at("Summary", within: "Negotiators met in Istanbul to restart"))
        // MARK: headings
        let h = "headings"
        add(
            h, "heading renamed", talks, "maritime incidents", 1,
            [("# Key Topics", "# Main Topics")],
            .at("Main Topics", within: "raised maritime incidents"))
        add(
            h, "one repeated heading renamed", regions, "Berlin expects stagnation", 1,
            [("## Outlook\nBerlin", "## Prospects\nBerlin")],
            .at("Prospects", within: "Berlin expects stagnation"))
        add(
            h, "first repeated section deleted", regions, "Berlin expects stagnation", 1,
            [("## Outlook\nParis expects a modest recovery next year.\n", "")],
            .at("Outlook#1", within: "Berlin expects stagnation"))
        add(
            h, "deleted repeated section keeps its annotations away from others", regions, "expects", 2,
            [("## Outlook\nBerlin expects stagnation until the summer.\n", "")],
            .gone)
        add(
            h, "countries reordered", regions, "Rome expects steady growth", 1,
            [
                (
                    "# Italy\nTourism revenue reached a record high this year.\n## Outlook\nRome expects steady growth.",
                    ""
                ),
                (
                    "# France",
                    "# Italy\nTourism revenue reached a record high this year.\n## Outlook\nRome expects steady growth.\n# France"
                ),
            ],
            .at("Outlook#1", within: "Rome expects steady growth"))
        add(
            h, "heading renamed and text edited", grain, "main sticking point", 1,
            [("# Risks\nInspections remain", "# Dangers\nFor now, inspections remain")],
            .at("Dangers", within: "the main sticking point"))
        add(
            h, "new section with the old heading", talks, "Taiwan Strait tensions", 1,
            [
                ("# Key Topics", "# Agenda"),
                ("# What to Watch Next", "# Key Topics\nNothing new.\n# What to Watch Next"),
            ],
            .at("Agenda", within: "Taiwan Strait tensions dominated"))
        add(
            h, "all repeated headings renamed", regions, "modest recovery", 1,
            [
                ("## Outlook\nParis", "## French outlook\nParis"), ("## Outlook\nBerlin", "## German outlook\nBerlin"),
                ("## Outlook\nRome", "## Italian outlook\nRome"),
            ],
            .at("French outlook", within: "a modest recovery"))
        add(
            h, "fourth repeated heading added first", regions, "Rome expects", 1,
            [("# France", "# Spain\nExports rose.\n## Outlook\nMadrid expects more of the same.\n# France")],
            .at("Outlook#4", within: "Rome expects steady growth"))
        add(
            h, "heading case changed", grain, "Talks resume in April", 1,
            [("# Timeline", "# TIMELINE")],
            .at("TIMELINE", within: "Talks resume in April"))
        add(
            h, "section split in two", talks, "military hotline", 1,
            [
                (
                    "Both sides raised maritime incidents in the South China Sea.\n",
                    "Both sides raised maritime incidents in the South China Sea.\n# Crisis Management\n"
                )
            ],
            .at("Crisis Management", within: "military hotline that works"))
        add(
            h, "two sections merged", grain, "Insurers may withdraw again", 1,
            [("# Timeline\n", "")],
            .at("Risks", within: "Insurers may withdraw again"))
        // MARK: duplicates
        let u = "duplicates"
        add(
            u, "phrase duplicated earlier in the section", talks, "military hotline", 1,
            [
                (
                    "Taiwan Strait tensions dominated",
                    "A military hotline was mentioned early. Taiwan Strait tensions dominated"
                )
            ],
            .at("Key Topics", within: "pressed for a military hotline"))
        add(
            u, "phrase duplicated in an earlier section", grain, "main sticking point", 1,
            [
                (
                    "The talks were workmanlike.",
                    "The talks were workmanlike; pricing is the main sticking point for traders."
                )
            ],
            .at("Risks", within: "remain the main sticking point"))
        add(
            u, "second of two mentions, edit elsewhere", talks, "hotline", 2,
            [("Follow-up working-level", "Expected: follow-up working-level")],
            .at("What to Watch Next", within: "crisis hotline announcement"))
        add(
            u, "first of two mentions, text inserted between", talks, "hotline", 1,
            [("in a crisis.", "in a crisis. Details were not shared.")],
            .at("Key Topics", within: "military hotline that"))
        add(
            u, "word repeated three times, middle one", regions, "expects", 2,
            [("Paris expects", "Paris now expects")],
            .at("Outlook#2", within: "Berlin expects stagnation"))
        add(
            u, "quote duplicated verbatim with the same context nearby", grain, "Insurers", 1,
            [("Insurers want written", "Insurers want written guarantees. Insurers want written")],
            .at("Summary", within: "Insurers want written guarantees. Insurers want written"))
        add(
            u, "duplicate inserted before, original edited slightly", talks, "candid and constructive", 1,
            [("On 3 March,", "Talks were candid and constructive, said one aide. On 3 March,")],
            .at("Setting the Scene", within: "the session as candid and constructive"))
        add(
            u, "same sentence pasted in another section", grain, "A deal could follow in May", 1,
            [("Insurers may withdraw again.", "Insurers may withdraw again. A deal could follow in May.")],
            .at("Timeline", within: "April. A deal could follow in May"))
        add(
            u, "original removed, a copy elsewhere remains", grain, "A deal could follow in May", 1,
            [
                ("Insurers may withdraw again.", "Insurers may withdraw again. A deal could follow in May."),
                ("Talks resume in April. A deal could follow in May.", "Talks resume in April."),
            ],
            .at("Risks", within: "withdraw again. A deal could follow in May"))
        add(
            u, "short word common everywhere", regions, "expects", 3,
            [("Tourism revenue", "Tourism revenue, as the ministry expects,")],
            .at("Outlook#3", within: "Rome expects steady"))
        add(
            u, "two identical paragraphs, annotation on the second", talks, "Follow-up", 1,
            [
                (
                    "Follow-up working-level talks in December.",
                    "Follow-up working-level talks in December. Follow-up working-level talks in December."
                )
            ],
            .at("What to Watch Next", within: "Follow-up working-level talks in December. Follow-up"))
        add(
            u, "duplicate of a short quote added in its own sentence", grain, "April", 1,
            [("A deal could follow", "Diplomats hope April holds. A deal could follow")],
            .at("Timeline", within: "resume in April"))
        // MARK: unicode and white space
        let w = "unicode"
        add(
            w, "non-breaking hyphen typed as a plain one", talks, "face\u{2011}to\u{2011}face talks", 1,
            [("face‑to‑face", "face-to-face")],
            .at("Setting the Scene", within: "face-to-face talks"))
        add(
            w, "plain hyphen replaced by a non-breaking one", talks, "working-level talks", 1,
            [("working-level", "working‑level")],
            .at("What to Watch Next", within: "working‑level talks"))
        add(
            w, "NFD re-save", regions, "record high", 1,
            [("Tourism revenue", "Touris\u{0301}m revenue")],
            .at("Italy", within: "reached a record high"))
        add(
            w, "quote with an accent, NFC to NFD", "Café talks\n# Résumé\nThe délégation met in Zürich.\n",
            "délégation met", 1,
            [("délégation", "de\u{0301}le\u{0301}gation")],
            .at("Résumé", within: "de\u{0301}le\u{0301}gation met"))
        add(
            w, "line re-wrapped inside the quote", grain, "Negotiators met in Istanbul to restart the grain corridor",
            1,
            [("in Istanbul to restart", "in Istanbul\nto restart")],
            .at("Summary", within: "Negotiators met in Istanbul\nto restart the grain corridor"))
        add(
            w, "double spaces", talks, "Taiwan Strait tensions", 1,
            [("Taiwan Strait tensions", "Taiwan  Strait  tensions")],
            .at("Key Topics", within: "Taiwan  Strait  tensions"))
        add(
            w, "curly quotes", "Quotes\n# Body\nHe said \"no deal\" twice.\n", "\"no deal\"", 1,
            [("\"no deal\"", "“no deal”")],
            .at("Body", within: "“no deal”"))
        add(
            w, "em dash for a hyphen", grain, "Talks resume in April", 1,
            [("April. A deal", "April — a deal")],
            .at("Timeline", within: "Talks resume in April"))
        add(
            w, "emoji inserted before", regions, "modest recovery", 1,
            [("Paris expects", "🇫🇷 Paris expects")],
            .at("Outlook", within: "a modest recovery"))
        add(
            w, "tab instead of a space", grain, "written guarantees", 1,
            [("written guarantees", "written\tguarantees")],
            .at("Summary", within: "written\tguarantees"))
        add(
            w, "no-break space", talks, "South China Sea", 1,
            [("South China Sea", "South\u{00A0}China\u{00A0}Sea")],
            .at("Key Topics", within: "South\u{00A0}China\u{00A0}Sea"))
        add(
            w, "trailing spaces and CRLF", grain, "Inspections remain the main sticking point", 1,
            [
                (
                    "\n# Risks\nInspections remain the main sticking point.",
                    "\r\n# Risks\r\nInspections remain the main sticking point.  "
                )
            ],
            .at("Risks", within: "Inspections remain the main sticking point"))
        return all
    }
}
