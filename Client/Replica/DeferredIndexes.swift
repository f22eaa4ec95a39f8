import GRDB

/// The indexes a clone builds once, after its last page, instead of entry by entry: the
/// full-text index (`search`, over `search_docs`) and `records_by_briefing`.
///
/// Indexing each pulled text as it is written was a quarter of a clone's apply (20,000 records:
/// ~85 ms of ~340), and the clone's writer is what a new analyst waits on. A pull from the
/// start that has more than one page therefore writes `search_docs` only and records the last
/// rowid the index holds (`meta.search_indexed_to`); its last page indexes every text after it
/// in one statement (~40 ms), in the same transaction. `records_by_briefing` is keyed by
/// briefing ids, which arrive in random order: it is dropped with the first page and built
/// again with the last (~20 ms by sorting, against ~30–50 ms of random inserts).
///
/// The invariant every transaction keeps, whatever runs between a clone's pages (a local
/// change, a kill, another process): while `search_indexed_to` is `W`, the index holds exactly
/// the texts whose rowid is at most `W`. A text written or removed above `W` leaves the index
/// alone; a search finishes the indexes first (a read-only open is refused while they are
/// unfinished, so the command opens read-write). Without `records_by_briefing` a query by
/// briefing reads the whole table: slower, never different.
enum DeferredIndexes {
    static let key = "search_indexed_to"

    /// The last rowid the index holds while a clone defers it, or `nil` when it holds every text.
    static func indexedTo(_ db: Database) throws -> Int64? {
        try Replica.meta(db, key).flatMap { Int64($0) }
    }

    /// Defers indexing from here on, unless it is deferred already.
    static func deferIndexing(_ db: Database) throws {
        guard try indexedTo(db) == nil else { return }
        let last = try Int64.fetchOne(db, sql: "SELECT coalesce(max(rowid), 0) FROM search_docs") ?? 0
        try Replica.setMeta(db, key, String(last))
        try db.execute(sql: "DROP INDEX IF EXISTS records_by_briefing")
    }

    /// Indexes every text the index does not hold yet, in one statement, and builds
    /// `records_by_briefing` again.
    static func finish(_ db: Database) throws {
        guard let last = try indexedTo(db) else { return }
        try db.execute(
            sql: "INSERT INTO search(rowid, text) SELECT rowid, text FROM search_docs WHERE rowid > ?",
            arguments: [last])
        try db.execute(sql: "CREATE INDEX IF NOT EXISTS records_by_briefing ON records(briefing, kind, deleted)")
        try Replica.setMeta(db, key, nil)
    }

    /// Whether the text with `rowid` is in the index (or is to be) given `indexedTo`.
    static func holds(_ rowid: Int64, indexedTo: Int64?) -> Bool {
        indexedTo.map { rowid <= $0 } ?? true
    }
}
