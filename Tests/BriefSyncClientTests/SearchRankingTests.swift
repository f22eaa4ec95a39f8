import BriefSyncClient
import BriefSyncModel
import Foundation
import TestSupport
import Testing

/// `search` ranks in the index first and joins only the best hits; filters that pass over the
/// best-ranked hits still find every match they allow, however far down the ranking it is.
@Suite struct SearchRankingTests {
    let dir = TemporaryDirectory("search-ranking")

    /// 100 short notes rank above 3 long ones (bm25 favours short texts); only the long ones are
    /// tagged, so a tag filter must look past the first windows of hits to find them.
    @Test func filtersFindMatchesBelowTheFirstWindow() throws {
        let replica = try Replica.create(home: dir.url, name: "alice", now: { 1_700_000_000_000 })
        let id = try replica.importBriefings([
            ("talks", "Corridor Talks\nSetting the Scene\nThe grain corridor reopened after the talks.")
        ])[0]
        for i in 0..<100 {
            _ = try replica.annotate(id, quote: "grain corridor", note: "corridor \(i)", kind: .note)
        }
        let filler = Array(repeating: "negotiators discussed inspection regimes at length", count: 8).joined(
            separator: " ")
        var late: [String] = []
        for i in 0..<3 {
            late.append(
                try replica.annotate(
                    id, quote: "reopened after the talks", note: "corridor \(filler) \(i)", kind: .question,
                    tags: ["late"]))
        }
        var filter = Replica.SearchFilter()
        filter.tag = "late"
        filter.limit = 5
        #expect(Set(try replica.search("corridor", filter: filter).map(\.id)) == Set(late))
        filter = Replica.SearchFilter()
        filter.kind = "question"
        filter.limit = 2
        #expect(try replica.search("corridor", filter: filter).count == 2)

        // Unfiltered, the best-ranked come first: short notes and quotes, not the long notes.
        filter = Replica.SearchFilter()
        filter.limit = 10
        let best = try replica.search("corridor", filter: filter)
        #expect(best.count == 10)
        #expect(best.allSatisfy { !late.contains($0.id) })
        // Each hit's own snippet, its match in brackets.
        #expect(best.allSatisfy { $0.snippet.lowercased().contains("[corridor]") })
        let notes = try replica.search(
            "corridor",
            filter: {
                var f = Replica.SearchFilter(); f.limit = 500; return f
            }()
        )
        .filter { $0.field == "note" && !late.contains($0.id) }
        #expect(notes.count == 100)
        #expect(Set(notes.map(\.snippet)) == Set((0..<100).map { "[corridor] \($0)" }))
        // Every hit when the limit allows: title and text, 100 notes and their quotes, 3 long notes.
        filter.limit = 500
        #expect(try replica.search("corridor", filter: filter).count == 2 + 100 + 100 + 3)
    }

    /// Hits on a deleted briefing's annotations are left out, and the ones after them still come.
    @Test func deletedBriefingsAreSkippedWithoutLosingLaterHits() throws {
        let replica = try Replica.create(home: dir.url, name: "alice", now: { 1_700_000_000_000 })
        let gone = try replica.importBriefings([("gone", "Gone\nScene\nThe talks went well.")])[0]
        for i in 0..<80 { _ = try replica.annotate(gone, quote: "talks", note: "corridor \(i)", kind: .note) }
        let kept = try replica.importBriefings([("kept", "Kept\nScene\nThe talks went on.")])[0]
        let note = try replica.annotate(
            kept, quote: "talks", note: "corridor " + String(repeating: "and much more text here ", count: 20),
            kind: .note)
        _ = try replica.remove(gone)
        var filter = Replica.SearchFilter()
        filter.limit = 1
        #expect(try replica.search("corridor", filter: filter).map(\.id) == [note])
    }

    /// A word in more texts than the ranked scope: the newest are ranked, and a filter that
    /// wants an older text widens the scope until it is found.
    @Test func aCommonWordRanksItsNewestTextsAndFiltersReachOlderOnes() throws {
        let replica = try Replica.create(home: dir.url, name: "alice", now: { 1_700_000_000_000 })
        let old = try replica.importBriefings([("old", "# Old\n\n## Scene\n\nThe talks went well.")])[0]
        let tagged = try replica.annotate(old, quote: "talks", note: "corridor early", kind: .note, tags: ["early"])
        let sections = (0..<(Replica.rankedScope + 100)).map { "## Part \($0)\n\nThe corridor, part \($0)." }
        let big = try replica.importBriefings([("big", "# Big\n\n" + sections.joined(separator: "\n\n"))])[0]
        var filter = Replica.SearchFilter()
        filter.limit = 3
        #expect(try replica.search("corridor", filter: filter).allSatisfy { $0.briefing == big })
        filter.tag = "early"
        #expect(try replica.search("corridor", filter: filter).map(\.id) == [tagged])
        filter = Replica.SearchFilter()
        filter.briefing = String(old.prefix(8))
        #expect(try replica.search("corridor", filter: filter).map(\.id) == [tagged])
    }
}
