extension AnchoringCorpus {
    static var unicode: [Case] {
        collect { add in
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
                w, "line re-wrapped inside the quote", grain,
                "Negotiators met in Istanbul to restart the grain corridor",
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

        }
    }
}
