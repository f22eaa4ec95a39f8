extension AnchoringCorpus {
    static var headings: [Case] {
        collect { add in
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
                    ("## Outlook\nParis", "## French outlook\nParis"),
                    ("## Outlook\nBerlin", "## German outlook\nBerlin"),
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

        }
    }
}
