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
        let id = try brief(["import", dir.write("d.txt", Self.doc)]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
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
