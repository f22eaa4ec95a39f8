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
        return try read { db in
            var conditions = ["search MATCH ?"]
            var arguments: StatementArguments = [query.match]
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
            // Ranked first, joined after: the best-ranked `window` hits are found in the index
            // alone, and only those meet the joins and filters — not every match of a common
            // word. If filters (or deleted briefings) leave fewer than the limit, the window
            // doubles, until the index has no more hits.
            var window = max(filter.limit * 2, 64)
            while true {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        WITH best AS (
                            SELECT rowid, rank FROM search WHERE search MATCH ? ORDER BY rank LIMIT ?
                        )
                        SELECT d.record_id, d.briefing, d.field, r.kind, b.title,
                            snippet(search, 0, '[', ']', '…', 12) AS snippet
                        FROM best JOIN search ON search.rowid = best.rowid
                        JOIN search_docs d ON d.rowid = best.rowid
                        JOIN records r ON r.id = d.record_id
                        JOIN records b ON b.id = d.briefing AND b.deleted = 0
                        WHERE \(conditions.joined(separator: " AND ")) ORDER BY best.rank LIMIT ?
                        """,
                    arguments: [query.match, window] + arguments + [filter.limit])
                let exhausted = {
                    try Int.fetchOne(
                        db, sql: "SELECT count(*) FROM (SELECT rowid FROM search WHERE search MATCH ? LIMIT ?)",
                        arguments: [query.match, window]) ?? 0 < window
                }
                if try rows.count >= filter.limit || exhausted() {
                    return rows.map { row in
                        SearchHit(
                            id: row["record_id"], briefing: row["briefing"], title: row["title"], kind: row["kind"],
                            field: row["field"], snippet: row["snippet"])
                    }
                }
                window *= 4
            }
        }
    }
}
