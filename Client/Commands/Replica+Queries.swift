import BriefSyncModel
import Foundation
import GRDB

extension Replica {
    /// Live briefings, most recently changed first; with `tag`, only those carrying it. With
    /// `limit`, one page of them from `offset` on: the page costs the same at 100 briefings or
    /// 100,000 (the briefings' `(deleted, updated)` index gives the order, the counts are per row).
    public func list(tag: String? = nil, limit: Int? = nil, offset: Int = 0) throws -> [BriefingSummary] {
        try read { db in
            var sql = """
                SELECT r.id, r.title, r.sections, r.updated,
                    (SELECT count(*) FROM records a WHERE a.briefing = r.id AND a.kind = 'annotation' AND a.deleted = 0) AS annotations,
                    (SELECT group_concat(tag, ',') FROM (SELECT tag FROM tags t WHERE t.record_id = r.id ORDER BY tag)) AS tags
                FROM records r
                """
            var args: StatementArguments = []
            if let tag {
                // Drive the query from the tag index (CROSS JOIN fixes the join order in SQLite).
                sql = sql.replacingOccurrences(
                    of: "FROM records r", with: "FROM tags g CROSS JOIN records r ON r.id = g.record_id")
                sql += " WHERE g.tag = ? AND r.kind = 'briefing' AND r.deleted = 0"
                args = [tag]
            } else {
                sql += " WHERE r.kind = 'briefing' AND r.deleted = 0"
            }
            sql += " ORDER BY r.updated DESC, r.id"
            if let limit {
                sql += " LIMIT ? OFFSET ?"
                args += [max(0, limit), max(0, offset)]
            }
            return try Row.fetchAll(db, sql: sql, arguments: args).map { row in
                let tags: String? = row["tags"]
                return BriefingSummary(
                    id: row["id"], title: row["title"], sections: row["sections"], annotations: row["annotations"],
                    tags: tags.map { $0.split(separator: ",").map(String.init) } ?? [],
                    updated: Self.iso8601(row["updated"]))
            }
        }
    }

    /// How many live briefings there are (with `tag`, carrying it).
    public func briefingCount(tag: String? = nil) throws -> Int {
        try read { db in
            if let tag {
                return try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM tags g CROSS JOIN records r ON r.id = g.record_id
                        WHERE g.tag = ? AND r.kind = 'briefing' AND r.deleted = 0
                        """, arguments: [tag]) ?? 0
            }
            return try Int.fetchOne(
                db, sql: "SELECT count(*) FROM records WHERE kind = 'briefing' AND deleted = 0") ?? 0
        }
    }

    /// The briefing `id` (any unique prefix) with its live annotations, re-anchored to the current text.
    public func detail(_ id: String) throws -> BriefingDetail {
        try read { db in
            let record = try RecordStore.resolve(db, id, kind: .briefing)
            return try Self.detail(db, record)
        }
    }

    static func detail(_ db: Database, _ record: Record) throws -> BriefingDetail {
        let b = Briefing(record: record)!
        let states = try String.fetchAll(
            db, sql: "SELECT state FROM records WHERE briefing = ? AND kind = 'annotation' AND deleted = 0",
            arguments: [record.id])
        let order = Dictionary(b.sections.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
        // Folded once per briefing, not once per annotation.
        let folded = b.sections.map { FoldedText($0.text) }
        let views = try states.map { try WireJSON.decode(Record.self, from: $0) }
            .compactMap(Annotation.init(record:))
            .map { a -> AnnotationView in
                // Re-anchored against the current text every time: the same on every replica.
                let placement =
                    a.anchor.map { Anchoring.place($0, in: b.sections, folded: folded) } ?? Placement(status: .orphan)
                let range = placement.status == .orphan ? nil : placement.range
                return AnnotationView(
                    id: a.id, kind: a.kind.rawValue, quote: a.anchor?.exact ?? "", note: a.note, tags: a.tags,
                    section: placement.section ?? a.anchor?.section ?? "", status: placement.status.rawValue,
                    author: a.author, origin: a.origin?.exact, parent: a.parent, state: a.state?.rawValue,
                    start: range?.lowerBound, end: range?.upperBound)
            }
            .sorted { x, y in
                let (sx, sy) = (order[x.section] ?? Int.max, order[y.section] ?? Int.max)
                if sx != sy { return sx < sy }
                if (x.start ?? -1) != (y.start ?? -1) { return (x.start ?? -1) < (y.start ?? -1) }
                return x.id < y.id
            }
        return BriefingDetail(
            id: b.id, title: b.title, status: b.status.rawValue, team: b.team, source: b.source, date: b.date,
            tags: b.tags, sections: b.sections,
            annotations: views, conflicts: try conflicts(db, briefing: record.id))
    }

    /// The briefing and its annotations as full records (every field with its stamp).
    public func exportRecords(_ id: String) throws -> (
        briefing: BriefSyncModel.Record, annotations: [BriefSyncModel.Record]
    ) {
        try read { db in
            let record = try RecordStore.resolve(db, id, kind: .briefing)
            let states = try String.fetchAll(
                db,
                sql: "SELECT state FROM records WHERE briefing = ? AND kind = 'annotation' AND deleted = 0 ORDER BY id",
                arguments: [record.id])
            return (record, try states.map { try WireJSON.decode(Record.self, from: $0) })
        }
    }

    /// The server this replica is logged in to (`nil` when logged out), without the counts
    /// `status` makes: every command that talks to the server starts here.
    public func loggedInServer() throws -> String? {
        guard Credentials.load(home: home) != nil else { return nil }
        return try read { try Replica.meta($0, "server") }
    }

    /// Replica path, counts and pending changes, plus sync state when logged in.
    public func status() throws -> ReplicaStatus {
        let loggedIn = Credentials.load(home: home) != nil
        return try read { db in
            let counts = Dictionary(
                try Row.fetchAll(db, sql: "SELECT kind, count(*) AS n FROM records WHERE deleted = 0 GROUP BY kind")
                    .map { (($0["kind"] as String), ($0["n"] as Int)) },
                uniquingKeysWith: +)
            let pending = try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox") ?? 0
            let rejected = try Int.fetchOne(db, sql: "SELECT count(*) FROM rejected") ?? 0
            let conflicts = try Self.conflicts(db, briefing: nil).count
            return ReplicaStatus(
                path: Replica.databaseURL(home: home).path, replica: try Replica.meta(db, "replica_id") ?? "",
                name: try Replica.meta(db, "name") ?? "", briefings: counts["briefing"] ?? 0,
                annotations: counts["annotation"] ?? 0, pending: pending, rejected: rejected,
                conflicts: conflicts, revokePending: PendingRevocations.load(home: home).count,
                // Logged out: no server, user or team (the replica keeps them for its next login).
                server: loggedIn ? try Replica.meta(db, "server") : nil,
                user: loggedIn ? try Replica.meta(db, "user") : nil,
                team: loggedIn ? try Replica.meta(db, "team") : nil,
                lastSync: try Replica.meta(db, "last_sync").flatMap { Int64($0) }.map(Self.iso8601),
                lastError: try Replica.meta(db, "last_error"))
        }
    }

    /// Every record's full state, sorted by id, one JSON document per line: two replicas that
    /// have converged export the same bytes. `sharedOnly` leaves out records the server never
    /// had (refused creations kept for their author).
    package func canonicalExport(sharedOnly: Bool = false) throws -> String {
        try read { db in
            try String.fetchAll(
                db, sql: "SELECT state FROM records \(sharedOnly ? "WHERE on_server = 1 " : "")ORDER BY id"
            ).joined(separator: "\n")
        }
    }

    /// Pending outbox mutations in order (oldest first).
    public func pendingMutations(limit: Int = 1000) throws -> [Mutation] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT body FROM outbox ORDER BY seq LIMIT ?", arguments: [limit])
                .map { try WireJSON.decode(Mutation.self, from: $0) }
        }
    }

    static func iso8601(_ ms: Int64) -> String {
        Date(timeIntervalSince1970: Double(ms) / 1000).formatted(.iso8601)
    }
}

extension Replica {
    /// The highest outbox number ever given out: it grows with every local change, so a watcher
    /// comparing two readings knows whether something new was written (one cheap read, on a
    /// statement prepared once: a watcher reads it on every write in the folder).
    public func outboxMark() throws -> Int64 {
        try read { db in
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")) ?? 0
        }
    }
}

extension Replica {
    /// The server a logout still has to reach: the logged-in one, else one holding a token not
    /// yet revoked.
    public func serverToLogOutFrom() -> String? {
        Credentials.load(home: home)?.server ?? PendingRevocations.load(home: home).first?.server
    }
}

/// One line of `brief annotations`: an annotation with its briefing's title.
public struct AnnotationListItem: Sendable, Hashable, Codable {
    public var id: String
    public var briefing: String
    public var briefingTitle: String
    public var kind: String
    public var author: String
    public var quote: String?
    public var note: String
    /// `open` or `closed` for watch items, else `null`.
    public var state: String?
    public var tags: [String]

    public func encode(to encoder: any Encoder) throws {
        enum Key: String, CodingKey { case id, briefing, briefingTitle, kind, author, quote, note, state, tags }
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(id, forKey: .id)
        try c.encode(briefing, forKey: .briefing)
        try c.encode(briefingTitle, forKey: .briefingTitle)
        try c.encode(kind, forKey: .kind)
        try c.encode(author, forKey: .author)
        try c.encode(quote, forKey: .quote)
        try c.encode(note, forKey: .note)
        try c.encode(state, forKey: .state)
        try c.encode(tags, forKey: .tags)
    }
}

extension Replica {
    /// What `brief annotations` filters on; `nil` means any.
    public struct AnnotationFilter: Sendable {
        public var kind: Annotation.Kind?
        /// Only open watch items.
        public var openOnly = false
        /// Only annotations by this author.
        public var author: String?
        public var tag: String?
        public init() {}
    }

    /// Annotations across every briefing, oldest briefing change first, then by id; replies
    /// are included (their kind is their parent's).
    public func annotations(_ filter: AnnotationFilter) throws -> [AnnotationListItem] {
        try read { db in
            var titles: [String: String] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT id, title FROM records WHERE kind = 'briefing' AND deleted = 0")
            {
                titles[row["id"]] = row["title"]
            }
            let rows = try Row.fetchAll(
                db, sql: "SELECT state FROM records WHERE kind = 'annotation' AND deleted = 0 ORDER BY updated, id")
            return try rows.compactMap { row -> AnnotationListItem? in
                let record = try WireJSON.decode(BriefSyncModel.Record.self, from: row["state"] as String)
                guard let a = Annotation(record: record), let title = titles[a.briefing] else { return nil }
                if let kind = filter.kind, a.kind != kind { return nil }
                if filter.openOnly, a.kind != .watch || a.state == .closed { return nil }
                if let author = filter.author, !a.author.utf8.elementsEqual(author.utf8) { return nil }
                if let tag = filter.tag, !a.tags.contains(tag) { return nil }
                return AnnotationListItem(
                    id: a.id, briefing: a.briefing, briefingTitle: title, kind: a.kind.rawValue, author: a.author,
                    quote: a.anchor?.exact, note: a.note, state: a.kind == .watch ? (a.state ?? .open).rawValue : nil,
                    tags: a.tags)
            }
        }
    }
}
