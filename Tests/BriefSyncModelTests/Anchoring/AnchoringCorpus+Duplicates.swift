extension AnchoringCorpus {
    static var duplicates: [Case] {
        collect { add in
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

        }
    }
}
