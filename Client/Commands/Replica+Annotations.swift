import BriefSyncModel
import Foundation
import GRDB

extension Replica {
    /// Anchors a new annotation to `quote` in briefing `id`; returns the annotation's id.
    ///
    /// - Parameters:
    ///   - section: limit the search to this section (key or heading).
    ///   - occurrence: which match to use (1-based) when the quote occurs more than once.
    public func annotate(
        _ id: String, quote: String, note: String?, kind: Annotation.Kind?, tags: [String] = [],
        section: String? = nil, occurrence: Int? = nil
    ) throws -> String {
        let tags = try Self.validTags(tags)
        guard !quote.isEmpty else {
            throw ClientError(.invalidArgument, "--quote is empty; give the text to anchor to")
        }
        return try change { ctx in
            let record = try RecordStore.resolve(ctx.db, id, kind: .briefing)
            let (key, text, range) = try Self.findQuote(
                quote, in: Briefing(record: record)!, id: record.id, section: section, occurrence: occurrence)
            let kind = kind ?? ((note ?? "").isEmpty ? .highlight : .note)
            let annotation = Annotation(
                id: ctx.newID(), briefing: record.id, kind: kind,
                anchor: Anchor(section: key, text: text, range: range).at(revisionOf: record),
                note: note ?? "", tags: tags, author: ctx.author, state: kind == .watch ? .open : nil)
            try ctx.apply(annotation.record(at: ctx.stamp()))
            return annotation.id
        }
    }

    /// Finds `quote` in `briefing` as `annotate` does: on the folded form, in one section if
    /// given, choosing `occurrence` when it occurs more than once.
    static func findQuote(
        _ quote: String, in briefing: Briefing, id: String, section: String?, occurrence: Int?
    ) throws -> (key: String, text: String, range: Range<Int>) {
        var sections = briefing.sections
        if let section {
            guard let s = briefing.section(named: section) else {
                throw ClientError(.notFound, "briefing \(Identifier.short(id)) has no section '\(section)'")
            }
            sections = [s]
        }
        // Typed quotes match on the folded form: dash, quote-mark, space, case and
        // normalisation variants find the text as it is (and the anchor keeps the real text).
        let matches = sections.flatMap { s in Anchoring.matches(of: quote, in: s.text).map { (s, $0) } }
        let chosen: (Section, Range<Int>)
        if matches.isEmpty {
            let near = sections.compactMap { Anchoring.closest(to: quote, in: $0.text) }
                .min { $0.distance < $1.distance }
            var hint = ""
            if let near {
                hint = "; closest passage: \"\(near.passage)\"" + (near.difference.map { " (\($0))" } ?? "")
            } else if let loose = sections.lazy.compactMap({ TextQuote.closestPassage(to: quote, in: $0.text) }).first {
                hint = "; closest passage: \"\(loose)\""
            }
            throw ClientError(
                .quoteNotFound, "quote \"\(quote)\" not found in briefing \(Identifier.short(id))\(hint)")
        } else if let occurrence {
            guard (1...matches.count).contains(occurrence) else {
                throw ClientError(
                    .invalidArgument,
                    "--occurrence \(occurrence) is out of range; the quote occurs \(matches.count) time(s)")
            }
            chosen = matches[occurrence - 1]
        } else if matches.count > 1 {
            let list = matches.enumerated().map { i, m -> String in
                let a = Anchor(section: m.0.key, text: m.0.text, range: m.1)
                let context = "…\(a.prefix.suffix(20))[\(a.exact)]\(a.suffix.prefix(20))…"
                return "\(i + 1): [\(m.0.heading.isEmpty ? m.0.key : m.0.heading)] "
                    + context.replacingOccurrences(of: "\n", with: " ")
            }.joined(separator: "; ")
            throw ClientError(
                .quoteAmbiguous,
                "quote \"\(quote)\" occurs \(matches.count) times: \(list); choose one with --occurrence N")
        } else {
            chosen = matches[0]
        }
        return (chosen.0.key, chosen.0.text, chosen.1)
    }

    /// Adds a reply to annotation `id`; returns the reply's id.
    public func reply(to id: String, text: String) throws -> String {
        guard !text.isEmpty else { throw ClientError(.invalidArgument, "--text is empty; write the reply") }
        return try change { ctx in
            let parent = Annotation(record: try RecordStore.resolve(ctx.db, id, kind: .annotation))!
            let reply = Annotation(
                id: ctx.newID(), briefing: parent.briefing, kind: .note, anchor: parent.anchor,
                note: text, author: ctx.author, parent: parent.id)
            try ctx.apply(reply.record(at: ctx.stamp()))
            return reply.id
        }
    }

    /// Replaces an annotation's note.
    public func setNote(_ id: String, text: String) throws {
        try updateAnnotation(id) { $0.note = text }
    }

    /// Opens or closes a watch item.
    public func setWatchState(_ id: String, _ state: Annotation.WatchState) throws {
        try updateAnnotation(id) { a in
            guard a.kind == .watch else {
                throw ClientError(
                    .invalidArgument, "\(Identifier.short(a.id)) is a \(a.kind.rawValue), not a watch item")
            }
            a.state = state
        }
    }

    private func updateAnnotation(_ id: String, _ body: (inout Annotation) throws -> Void) throws {
        try change { ctx in
            let record = try RecordStore.resolve(ctx.db, id, kind: .annotation)
            var annotation = Annotation(record: record)!
            try body(&annotation)
            let delta = Record.delta(from: record, to: annotation.record(at: .zero), at: ctx.stamp())
            if !delta.isEmptyDelta { try ctx.apply(delta) }
        }
    }
}
