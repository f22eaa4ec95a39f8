extension AnchoringCorpus {
    static var deletions: [Case] {
        collect { add in
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

        }
    }
}
