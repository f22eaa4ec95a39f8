import Foundation
import TestSupport
import Testing

/// `brief search` as people type it: words, prefixes, phrases, OR, filters and a limit.
@Suite struct SearchCLITests {
    /// One replica with two briefings, annotations by two authors and a reply.
    struct Fixture {
        let dir = TemporaryDirectory("search")
        var home: String { dir.file("home").path }
        var talks = ""
        var budget = ""
        var note = ""

        init() throws {
            #expect(try run(["init", "--name", "wes"]).status == 0)
            let one = dir.write(
                "talks.md",
                "# Talks\n\n## Key Topics\n\nFace-to-face talks on shipping lanes.\n\n## Outlook\n\nDefence ministers meet.\n"
            )
            let two = dir.write("budget.md", "# Budget\n\n## Outlook\n\nDefensive spending rises; talks later.\n")
            talks = try firstLine(run(["import", one, "--tag", "asia"]))
            budget = try firstLine(run(["import", two]))
            note = try firstLine(run(["annotate", talks, "--quote", "shipping lanes", "--note", "grain corridor"]))
            _ = try firstLine(run(["reply", note, "--text", "insurers agree"]))
            _ = try firstLine(
                run(["annotate", budget, "--quote", "spending", "--note", "vote due", "--kind", "question"]))
        }

        func run(_ args: [String]) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", home])
        }

        func firstLine(_ r: ProcessRunner.Result) throws -> String {
            #expect(r.status == 0, "\(r.stderr)")
            return try #require(r.stdout.split(separator: "\n").first.map(String.init))
        }

        /// The (record id, field) of each hit, in order.
        func hits(_ args: [String]) throws -> [String] {
            let r = try run(["search", "--json"] + args)
            let list = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] ?? []
            return list.map { "\(($0["id"] as? String) ?? "?"):\(($0["field"] as? String) ?? "?")" }
        }
    }

    @Test func wordsPrefixesPhrasesAndOr() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        // All words must match, in one document.
        #expect(try f.hits(["ministers", "defence"]).count == 1)
        #expect(try f.hits(["ministers", "spending"]).isEmpty)
        // A prefix finds "Defence" and "Defensive".
        #expect(Set(try f.hits(["defen*"])).count == 2)
        // A phrase keeps word order; a punctuated word is a phrase of its parts.
        #expect(try f.hits(["face to face talks"]).count == 1)
        #expect(try f.hits(["face-to-face"]).count == 1)
        #expect(try f.hits(["\"talks face\""]).isEmpty)
        #expect(try f.hits(["lanes", "shipping"]).count == 2)  // the section and the quote
        #expect(try f.hits(["\"lanes shipping\""]).isEmpty)
        // OR: either side.
        #expect(Set(try f.hits(["insurers", "OR", "vote"])).count == 2)
        // FTS5 syntax typed by accident is only text.
        #expect(try f.run(["search", "NEAR(talks", "ministers)"]).status == 4)
    }

    @Test func aReplyDoesNotRepeatItsParentsQuote() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let quoteHits = try f.hits(["shipping", "--kind", "note"])
        #expect(quoteHits == ["\(f.note):quote"], "\(quoteHits)")
    }

    @Test func filtersAndLimit() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        #expect(try f.hits(["talks", "--kind", "briefing"]).count == 3)  // a title and two sections
        #expect(try f.hits(["talks", "--tag", "asia"]).allSatisfy { $0.hasPrefix(f.talks) })
        #expect(
            try f.hits(["outlook", "--briefing", String(f.budget.prefix(8))]).allSatisfy { $0.hasPrefix(f.budget) })
        #expect(try f.hits(["spending", "--kind", "question"]).count == 1)
        #expect(try f.hits(["spending", "--author", "wes", "--kind", "question"]).count == 1)
        #expect(try f.hits(["spending", "--author", "someone"]).isEmpty)
        #expect(try f.hits(["talks", "--limit", "1"]).count == 1)
    }

    @Test func badQueriesAreRefusedWithTheFix() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let cases: [([String], String)] = [
            (["OR", "talks"], "error: OR in 'OR talks' needs a word on each side"),
            (["talks", "OR"], "error: OR in 'talks OR' needs a word on each side"),
            (["\"talks"], "error: the query '\"talks' opens a quote it does not close"),
            (["..."], "error: the query '...' has no words to search for"),
            (["talks", "--kind", "memo"], "error: --kind takes briefing, highlight, note, question, watch"),
            (["talks", "--limit", "0"], "error: --limit takes 1 to 10000"),
        ]
        for (args, message) in cases {
            let r = try f.run(["search"] + args)
            #expect(r.status == 1 && r.stderr.hasPrefix(message) && r.stdout.isEmpty, "\(args): \(r.stderr)")
        }
    }
}
