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

extension AnchoringCLITests {
    /// Each sample's annotations, every kind, exported as a W3C collection: the shape has the
    /// model's required parts, and importing it onto a fresh copy gives the same annotations.
    @Test(arguments: [Samples.plain, Samples.markdown, Samples.unicode, Self.doc])
    func w3cExportRoundTrips(sample: String) throws {
        let dir = TemporaryDirectory("w3c")
        defer { dir.remove() }
        let home = dir.file("h").path
        func brief(_ args: [String]) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", home])
        }
        func json(_ args: [String]) throws -> Any {
            try JSONSerialization.jsonObject(with: Data(try brief(args + ["--json"]).stdout.utf8))
        }
        #expect(try brief(["init", "--name", "al"]).status == 0)
        let file = dir.write("s.txt", sample)
        let id = try brief(["import", file]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let sections = (try json(["show", id]) as? [String: Any])?["sections"] as? [[String: Any]] ?? []
        let texts = sections.compactMap { $0["text"] as? String }.filter { $0.split(separator: " ").count >= 3 }
        try #require(texts.count >= 1)
        let words = texts.flatMap { $0.split(separator: " ").prefix(3).map(String.init) }
        let kinds = ["highlight", "note", "question", "watch"]
        var made: [String] = []
        for (i, kind) in kinds.enumerated() {
            let quote = words[i % words.count]
            var args = ["annotate", id, "--quote", quote, "--occurrence", "1", "--kind", kind]
            if kind != "highlight" { args += ["--note", "\(kind) \(i) — café ✓", "--tag", "t\(i)"] }
            let r = try json(args) as? [String: Any]
            made.append(r?["id"] as? String ?? "")
        }
        #expect(try brief(["watch", made[3], "--close"]).status == 0)
        #expect(try brief(["reply", made[1], "--text", "a reply"]).status == 0)
        let export = try brief(["export", id, "--format", "w3c"])
        #expect(export.status == 0, "\(export.stderr)")
        let collection = try #require(
            try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
        // The Web Annotation model's required parts.
        #expect((collection["@context"] as? [Any])?.first as? String == "http://www.w3.org/ns/anno.jsonld")
        #expect(collection["type"] as? String == "AnnotationCollection" && collection["id"] is String)
        let items = ((collection["first"] as? [String: Any])?["items"] as? [[String: Any]]) ?? []
        #expect(items.count == 5 && collection["total"] as? Int == 5)
        let motivations = Set(items.compactMap { $0["motivation"] as? String })
        #expect(motivations == ["highlighting", "commenting", "questioning", "brief:watching", "replying"])
        for item in items {
            #expect(item["type"] as? String == "Annotation")
            #expect((item["id"] as? String)?.hasPrefix("urn:uuid:") == true)
            #expect(item["target"] != nil)
            #expect((item["created"] as? String)?.hasSuffix("Z") == true)
            if let target = item["target"] as? [String: Any] {
                let types = (target["selector"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
                #expect(types == ["TextQuoteSelector", "TextPositionSelector"])
            }
        }
        // Round trip onto a fresh copy of the same briefing.
        let copy = try brief(["import", file]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let back = try ProcessRunner.run(
            "brief", ["import-annotations", "-", "--briefing", copy, "--home", home], stdin: export.stdout)
        #expect(back.status == 0 && back.stdout == "Imported 5 annotation(s).\n", "\(back.stderr)")
        func comparable(_ briefing: String) throws -> [String] {
            let annotations =
                (try json(["show", briefing]) as? [String: Any])?["annotations"] as? [[String: Any]] ?? []
            let byID = Dictionary(annotations.map { ($0["id"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
            return annotations.map { a in
                let parent = (a["parent"] as? String).flatMap { byID[$0]?["note"] as? String } ?? "-"
                return [
                    a["kind"], a["quote"], a["note"], (a["tags"] as? [String])?.joined(separator: ","), a["section"],
                    a["start"], a["end"], a["state"], a["status"], parent,
                ].map { "\($0 ?? "nil")" }.joined(separator: "|")
            }.sorted()
        }
        #expect(try comparable(copy) == comparable(id))
        // A collection whose quote is not in the briefing is refused whole.
        let other = try brief(["import", dir.write("o.txt", "Other\nBody\nNothing in common here at all.")]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let refused = try ProcessRunner.run(
            "brief", ["import-annotations", "-", "--briefing", other, "--home", home], stdin: export.stdout)
        #expect(refused.status == 1 && refused.stderr.contains("nothing was imported"))
        #expect(((try json(["show", other]) as? [String: Any])?["annotations"] as? [Any])?.isEmpty == true)
    }
}
