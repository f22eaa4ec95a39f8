extension AnchoringCorpus {
    static var insertions: [Case] {
        collect { add in
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

        }
    }
}
