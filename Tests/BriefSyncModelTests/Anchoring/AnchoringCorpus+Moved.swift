extension AnchoringCorpus {
    static var moved: [Case] {
        collect { add in
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

        }
    }
}
