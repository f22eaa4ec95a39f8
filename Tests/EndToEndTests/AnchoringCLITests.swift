import Foundation
import TestSupport
import Testing

/// Annotating and re-anchoring through the built `brief`.
@Suite struct AnchoringCLITests {
    static let doc = """
        Defence talks
        # Setting the Scene
        Hegseth met China’s Defence Minister Dong Jun for face‑to‑face talks.
        # Key Topics
        Taiwan Strait tensions dominated.
        """

    /// The README's first annotate, typed with a plain hyphen, finds the text's U+2011; a near
    /// miss names the character that differs; --section takes a unique prefix.
    @Test func typedQuotesMatchTheFoldedText() throws {
        let dir = TemporaryDirectory("anchor-cli")
        defer { dir.remove() }
        let home = dir.file("h").path
        func brief(_ args: [String]) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", home])
        }
        #expect(try brief(["init", "--name", "al"]).status == 0)
        let id = try brief(["import", dir.write("d.txt", Self.doc)]).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        let made = try brief(["annotate", id, "--quote", "face-to-face talks", "--note", "first since 2023?", "--json"])
        #expect(made.status == 0, "\(made.stderr)")
        let show = try brief(["show", id, "--json"])
        let detail = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
        let annotation = (detail?["annotations"] as? [[String: Any]])?.first
        #expect(annotation?["quote"] as? String == "face‑to‑face talks")
        #expect(annotation?["status"] as? String == "anchored")
        let miss = try brief(["annotate", id, "--quote", "Hegseth met Chinas Defence Minister"])
        #expect(miss.status == 1)
        #expect(
            miss.stderr.contains(
                "closest passage: \"Hegseth met China’s Defence Minister\" (character 18: you typed 's' (U+0073), the text has '’' (U+2019))"
            ), "\(miss.stderr)")
        let scoped = try brief(["annotate", id, "--quote", "taiwan strait", "--section", "key"])
        #expect(scoped.status == 0, "\(scoped.stderr)")
    }
}

extension AnchoringCLITests {
    /// A reworded passage makes an annotation fuzzy: `orphans` lists it with the text it was
    /// made on, `confirm` stores the new place; a deleted passage orphans one, and `reanchor`
    /// relinks it. The first quote is kept both times.
    @Test func orphansConfirmAndReanchor() throws {
        let dir = TemporaryDirectory("anchor-cli-2")
        defer { dir.remove() }
        let home = dir.file("h").path
        func brief(_ args: [String]) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", home])
        }
        func annotation(_ id: String, _ briefing: String) throws -> [String: Any] {
            let detail = try JSONSerialization.jsonObject(
                with: Data(try brief(["show", briefing, "--json"]).stdout.utf8))
            return ((detail as? [String: Any])?["annotations"] as? [[String: Any]] ?? []).first {
                ($0["id"] as? String) == id
            } ?? [:]
        }
        #expect(try brief(["init", "--name", "al"]).status == 0)
        let id = try brief(["import", dir.write("d.txt", Self.doc)]).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        let long = try brief([
            "annotate", id, "--quote", "Hegseth met China’s Defence Minister Dong Jun", "--note", "who", "--json",
        ])
        let note =
            ((try JSONSerialization.jsonObject(with: Data(long.stdout.utf8)) as? [String: Any])?["id"] as? String)
            ?? ""
        let short = try brief(["annotate", id, "--quote", "Taiwan Strait tensions", "--json"])
        let highlight =
            ((try JSONSerialization.jsonObject(with: Data(short.stdout.utf8)) as? [String: Any])?["id"] as? String)
            ?? ""
        #expect(!note.isEmpty && !highlight.isEmpty, "\(long.stderr)\(short.stderr)")
        #expect(
            try brief([
                "edit", id, "--section", "Setting the Scene", "--text",
                "Hegseth met China’s Defense Minister Dong Jun for face‑to‑face talks.",
            ]).status == 0)
        #expect(try brief(["edit", id, "--section", "Key Topics", "--text", "Trade dominated."]).status == 0)
        #expect(try annotation(note, id)["status"] as? String == "fuzzy")
        #expect(try annotation(highlight, id)["status"] as? String == "orphan")
        let listed =
            try JSONSerialization.jsonObject(with: Data(try brief(["orphans", "--json"]).stdout.utf8))
            as? [[String: Any]] ?? []
        #expect(listed.compactMap { $0["status"] as? String }.sorted() == ["fuzzy", "orphan"])
        #expect(listed.contains { ($0["candidate"] as? String) == "Hegseth met China’s Defense Minister Dong Jun" })
        #expect(try brief(["orphans"]).stdout.contains("made on: …[Taiwan Strait tensions] dominated.…"))

        #expect(try brief(["confirm", String(note.prefix(8))]).status == 0)
        #expect(try annotation(note, id)["status"] as? String == "anchored")
        #expect(try annotation(note, id)["quote"] as? String == "Hegseth met China’s Defense Minister Dong Jun")
        #expect(try annotation(note, id)["origin"] as? String == "Hegseth met China’s Defence Minister Dong Jun")
        let orphanConfirm = try brief(["confirm", String(highlight.prefix(8))])
        #expect(orphanConfirm.status == 1 && orphanConfirm.stderr.contains("nothing to confirm"))
        #expect(try brief(["reanchor", String(highlight.prefix(8)), "--quote", "Trade"]).status == 0)
        #expect(try annotation(highlight, id)["status"] as? String == "anchored")
        #expect(try annotation(highlight, id)["origin"] as? String == "Taiwan Strait tensions")
        #expect(try brief(["orphans"]).stdout == "Every annotation is on its passage.\n")
    }
}
