import BriefSyncModel
import Foundation
import GRDB

extension Replica {
    /// What `brief search` narrows hits to; `nil` means any.
    public struct SearchFilter: Sendable {
        /// Hits whose record or briefing carries this tag.
        public var tag: String?
        /// `briefing`, or an annotation kind (`note`, `question`, `highlight`, `watch`).
        public var kind: String?
        /// Annotations by this author (compared byte for byte).
        public var author: String?
        /// Hits in this briefing (any unique id prefix).
        public var briefing: String?
        public var limit = 50
        public init() {}
    }

    /// The largest `--limit`.
    public static let maxSearchLimit = 10_000

    /// How many of the newest matching texts a query ranks at first: a word in more texts than
    /// this is ranked among its newest 2,000 (more only when filters need them), so a common
    /// word costs the same on a team of 50,000 notes as on one of 2,000.
    public static let rankedScope = 2_000

    /// Full-text search over briefing text, annotation notes and quotes; best matches first.
    /// A reply's quote is its parent's and is not indexed again, so a quote matches once.
    public func search(_ text: String, filter: SearchFilter = SearchFilter()) throws -> [SearchHit] {
        let query = try SearchQuery(text)
        guard (1...Self.maxSearchLimit).contains(filter.limit) else {
            throw ClientError(.invalidArgument, "--limit takes 1 to \(Self.maxSearchLimit)")
        }
        if let kind = filter.kind, kind != "briefing", Annotation.Kind(rawValue: kind) == nil {
            throw ClientError(
                .invalidArgument,
                "--kind takes briefing, "
                    + Annotation.Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        // A clone interrupted before its last page left texts unindexed: they are indexed first.
        if try read({ try DeferredIndexes.indexedTo($0) }) != nil {
            try database.write { try DeferredIndexes.finish($0) }
        }
        return try read { db in
            var conditions: [String] = []
            var arguments = StatementArguments()
            if let tag = filter.tag {
                conditions.append(
                    "(EXISTS (SELECT 1 FROM tags t WHERE t.record_id = d.record_id AND t.tag = ?)"
                        + " OR EXISTS (SELECT 1 FROM tags t WHERE t.record_id = d.briefing AND t.tag = ?))")
                arguments += [tag, tag]
            }
            if let kind = filter.kind {
                if kind == "briefing" {
                    conditions.append("r.kind = 'briefing'")
                } else {
                    conditions.append("r.kind = 'annotation' AND json_extract(r.state, '$.fields.kind.v') = ?")
                    arguments += [kind]
                }
            }
            if let author = filter.author {
                // CAST to BLOB: byte-wise, whatever the text looks like.
                conditions.append(
                    "r.kind = 'annotation' AND CAST(json_extract(r.state, '$.fields.author.v') AS BLOB) = CAST(? AS BLOB)"
                )
                arguments += [author]
            }
            if let briefing = filter.briefing {
                conditions.append("d.briefing = ?")
                arguments += [try RecordStore.resolve(db, briefing, kind: .briefing).id]
            }
            // Ranked first, joined after, and never scoring every match of a common word:
            // - the scope is the `scope` newest texts that match (the index keeps texts in write
            //   order; a text is rewritten when its record changes), found by rowid without scoring;
            // - within the scope, the best-ranked `window` are found in the index alone, and only
            //   those meet the joins and filters.
            // If filters (or deleted briefings) leave fewer hits than the limit, the window widens,
            // then the scope, until the index has no more matches.
            var scope = Self.rankedScope
            var window = max(filter.limit * 2, 64)
            // The oldest match in scope and how many there are; read again only when the scope grows.
            func scoped() throws -> (bound: Int64, count: Int) {
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT min(rowid) AS bound, count(*) AS n FROM
                            (SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT ?)
                        """, arguments: [query.match, scope])
                return (row?["bound"] ?? 0, row?["n"] ?? 0)
            }
            var (bound, inScope) = try scoped()
            let filters = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            while true {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        WITH best AS (
                            SELECT rowid, rank FROM search WHERE search MATCH ? AND rowid >= ?
                            ORDER BY rank LIMIT ?
                        )
                        SELECT best.rowid, d.record_id, d.briefing, d.field, r.kind, b.title
                        FROM best JOIN search_docs d ON d.rowid = best.rowid
                        JOIN records r ON r.id = d.record_id
                        JOIN records b ON b.id = d.briefing AND b.deleted = 0
                        \(filters) ORDER BY best.rank LIMIT ?
                        """,
                    arguments: [query.match, bound, window] + arguments + [filter.limit])
                let everyMatchSeen = inScope < scope && window >= inScope
                if rows.count >= filter.limit || everyMatchSeen {
                    let snippets = try Self.snippets(db, query.match, rowids: rows.map { $0["rowid"] })
                    return rows.map { row in
                        SearchHit(
                            id: row["record_id"], briefing: row["briefing"], title: row["title"], kind: row["kind"],
                            field: row["field"], snippet: snippets[row["rowid"]] ?? "")
                    }
                }
                if window < inScope {
                    window *= 4
                } else {
                    scope *= 4
                    (bound, inScope) = try scoped()
                }
            }
        }
    }

    /// The hits' snippets in one pass over the index: FTS5 answers a snippet only for a row its
    /// query cursor is on, and looking rows up one by one reloads a common word's whole posting
    /// list each time (~0.2 ms a row), so the rows' range is scanned once and filtered to them.
    private static func snippets(_ db: Database, _ match: String, rowids: [Int64]) throws -> [Int64: String] {
        guard let low = rowids.min(), let high = rowids.max() else { return [:] }
        var arguments: StatementArguments = [match, low, high]
        arguments += StatementArguments(rowids)
        let marks = Array(repeating: "?", count: rowids.count).joined(separator: ",")
        var out: [Int64: String] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT rowid, snippet(search, 0, '[', ']', '…', 12) AS snippet FROM search
                WHERE search MATCH ? AND rowid >= ? AND rowid <= ? AND +rowid IN (\(marks))
                """, arguments: arguments)
        {
            out[row["rowid"]] = row["snippet"]
        }
        return out
    }
}
