extension AnchoringCorpus {
    static var rewordings: [Case] {
        collect { add in
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

        }
    }
}
