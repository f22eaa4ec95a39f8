import BriefSyncModel
import Foundation
import GRDB

/// An annotation whose place is not certain, as `brief orphans` lists it.
public struct UnplacedAnnotation: Sendable, Hashable, Codable {
    public var id: String
    public var briefing: String
    public var title: String
    /// fuzzy, ambiguous or orphan.
    public var status: String
    public var kind: String
    public var note: String
    public var author: String
    /// The text it was made on: the quote with the words around it then.
    public var quote: String
    public var prefix: String
    public var suffix: String
    /// Where it would go now (fuzzy, ambiguous), if anywhere.
    public var candidate: String?
}

extension Replica {
    /// Every top-level annotation that is fuzzy, ambiguous or orphaned, briefing by briefing.
    public func unplaced() throws -> [UnplacedAnnotation] {
        try read { db in
            var out: [UnplacedAnnotation] = []
            let briefings = try String.fetchAll(
                db, sql: "SELECT state FROM records WHERE kind = 'briefing' AND deleted = 0 ORDER BY id")
            for state in briefings {
                let record = try WireJSON.decode(Record.self, from: state)
                let detail = try Self.detail(db, record)
                let texts = Dictionary(detail.sections.map { ($0.key, $0.text) }, uniquingKeysWith: { a, _ in a })
                for view in detail.annotations where view.parent == nil && !["anchored", "moved"].contains(view.status)
                {
                    guard let a = try RecordStore.load(db, id: view.id).flatMap(Annotation.init(record:)),
                        let anchor = a.anchor
                    else { continue }
                    var candidate: String? = nil
                    if let s = view.start, let e = view.end, let text = texts[view.section] {
                        candidate = String(String.UnicodeScalarView(Array(text.unicodeScalars)[s..<e]))
                    }
                    out.append(
                        UnplacedAnnotation(
                            id: a.id, briefing: detail.id, title: detail.title, status: view.status,
                            kind: a.kind.rawValue, note: a.note, author: a.author, quote: anchor.exact,
                            prefix: anchor.prefix, suffix: anchor.suffix, candidate: candidate))
                }
            }
            return out
        }
    }

    /// Accepts where a fuzzy or ambiguous annotation now lies: the place is stored as its anchor
    /// (so small drifts do not add up), the first anchor kept as its origin.
    public func confirm(_ id: String) throws {
        try change { ctx in
            let record = try RecordStore.resolve(ctx.db, id, kind: .annotation)
            var annotation = Annotation(record: record)!
            guard let anchor = annotation.anchor,
                let briefingRecord = try RecordStore.load(ctx.db, id: annotation.briefing),
                let briefing = Briefing(record: briefingRecord)
            else {
                throw ClientError(.invalidArgument, "\(Identifier.short(record.id)) has no quote to confirm")
            }
            let placement = Anchoring.place(anchor, in: briefing.sections)
            guard placement.status != .orphan, let key = placement.section, let range = placement.range,
                let section = briefing.sections.first(where: { $0.key == key })
            else {
                throw ClientError(
                    .quoteNotFound,
                    "\(Identifier.short(record.id)) is orphaned: nothing to confirm; give it a new quote with 'brief reanchor \(Identifier.short(record.id)) --quote TEXT'"
                )
            }
            guard !placement.status.isConfident else {
                throw ClientError(
                    .invalidArgument,
                    "\(Identifier.short(record.id)) is \(placement.status.rawValue): nothing to confirm")
            }
            annotation.origin = annotation.origin ?? anchor
            annotation.anchor = Anchor(section: key, text: section.text, range: range).at(revisionOf: briefingRecord)
            try Self.applyAnnotation(&ctx, record: record, annotation)
        }
    }

    /// Anchors annotation `id` to `quote` in its briefing (as `annotate` finds quotes), keeping
    /// the first anchor as its origin.
    public func reanchor(_ id: String, quote: String, section: String? = nil, occurrence: Int? = nil) throws {
        try change { ctx in
            let record = try RecordStore.resolve(ctx.db, id, kind: .annotation)
            var annotation = Annotation(record: record)!
            guard annotation.parent == nil else {
                throw ClientError(.invalidArgument, "\(Identifier.short(record.id)) is a reply; re-anchor its parent")
            }
            let briefingRecord = try RecordStore.resolve(ctx.db, annotation.briefing, kind: .briefing)
            let (key, text, range) = try Self.findQuote(
                quote, in: Briefing(record: briefingRecord)!, id: briefingRecord.id, section: section,
                occurrence: occurrence)
            if let anchor = annotation.anchor { annotation.origin = annotation.origin ?? anchor }
            annotation.anchor = Anchor(section: key, text: text, range: range).at(revisionOf: briefingRecord)
            try Self.applyAnnotation(&ctx, record: record, annotation)
        }
    }

    static func applyAnnotation(_ ctx: inout ChangeContext, record: Record, _ annotation: Annotation) throws {
        let delta = Record.delta(from: record, to: annotation.record(at: .zero), at: ctx.stamp())
        if !delta.isEmptyDelta { try ctx.apply(delta) }
    }
}
