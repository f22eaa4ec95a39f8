import BriefSyncModel
import Foundation
import GRDB

/// Annotations as a W3C Web Annotation `AnnotationCollection` (JSON-LD), and back
/// (`docs/anchoring.md`, "W3C export").
extension Replica {
    /// Our namespace, for what the W3C vocabulary has no term for (watch items and their state).
    public static let w3cNamespace = "urn:briefsync:ns:"

    /// The briefing's live annotations as an `AnnotationCollection`, as a JSON object.
    public func exportW3C(_ id: String) throws -> [String: Any] {
        try read { db in
            let record = try RecordStore.resolve(db, id, kind: .briefing)
            let briefing = Briefing(record: record)!
            let detail = try Self.detail(db, record)
            let offsets = briefing.plainText.offsets
            let source = "urn:briefsync:briefing:\(briefing.id)"
            var items: [[String: Any]] = []
            for view in detail.annotations {
                guard let stored = try RecordStore.load(db, id: view.id), let a = Annotation(record: stored) else {
                    continue
                }
                var item: [String: Any] = [
                    "id": "urn:uuid:\(a.id)", "type": "Annotation",
                    "creator": ["type": "Person", "name": a.author],
                    "created": Self.w3cTime(stored.fields.values.map(\.stamp).min()?.physical ?? 0),
                    "modified": Self.w3cTime(stored.latestWrite.physical),
                ]
                var bodies: [[String: Any]] = []
                if !a.note.isEmpty {
                    let purpose = a.parent != nil ? "replying" : (a.kind == .question ? "questioning" : "commenting")
                    bodies.append(["type": "TextualBody", "value": a.note, "format": "text/plain", "purpose": purpose])
                }
                for tag in a.tags { bodies.append(["type": "TextualBody", "value": tag, "purpose": "tagging"]) }
                if !bodies.isEmpty { item["body"] = bodies }
                if let parent = a.parent {
                    item["motivation"] = "replying"
                    item["target"] = "urn:uuid:\(parent)"
                } else {
                    switch a.kind {
                    case .highlight: item["motivation"] = "highlighting"
                    case .note: item["motivation"] = "commenting"
                    case .question: item["motivation"] = "questioning"
                    case .watch:
                        item["motivation"] = "brief:watching"
                        item["brief:state"] = (a.state ?? .open).rawValue
                    }
                    var selectors: [[String: Any]] = []
                    if let anchor = a.anchor {
                        var quote: [String: Any] = ["type": "TextQuoteSelector", "exact": anchor.exact]
                        if !anchor.prefix.isEmpty { quote["prefix"] = anchor.prefix }
                        if !anchor.suffix.isEmpty { quote["suffix"] = anchor.suffix }
                        selectors.append(quote)
                        if let start = view.start, let end = view.end, let base = offsets[view.section] {
                            selectors.append(["type": "TextPositionSelector", "start": base + start, "end": base + end])
                        }
                    }
                    var target: [String: Any] = ["source": source, "selector": selectors]
                    // The briefing revision the quote was found in (our namespace: a stamp).
                    if let revision = a.anchor?.revision { target["brief:revision"] = revision }
                    item["target"] = target
                }
                items.append(item)
            }
            return [
                "@context": ["http://www.w3.org/ns/anno.jsonld", ["brief": Self.w3cNamespace]],
                "id": "\(source)/annotations", "type": "AnnotationCollection", "label": briefing.title,
                "total": items.count,
                "first": ["type": "AnnotationPage", "startIndex": 0, "items": items],
            ]
        }
    }

    static func w3cTime(_ ms: Int64) -> String {
        Date(timeIntervalSince1970: Double(ms) / 1000).formatted(.iso8601)
    }

    /// Reads an `AnnotationCollection` (as `exportW3C` writes it) onto briefing `id`; returns
    /// the new annotations' ids. Quotes are placed with the same anchoring as everything else
    /// (the position first, then the quote and its context); one that cannot be placed refuses
    /// the whole import, which then changes nothing.
    public func importW3C(_ data: Data, onto id: String) throws -> [String] {
        guard data.count <= Wire.Limits.maxBody, Wire.JSONScan.scan(data, maxDepth: 32).depth <= 32,
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            root["type"] as? String == "AnnotationCollection"
        else {
            throw ClientError(
                .invalidArgument, "not a W3C AnnotationCollection (JSON with \"type\": \"AnnotationCollection\")")
        }
        let page = root["first"] as? [String: Any]
        let items = (page?["items"] as? [[String: Any]]) ?? (root["items"] as? [[String: Any]]) ?? []
        guard items.count <= 10_000 else { throw ClientError(.tooLarge, "at most 10,000 annotations per import") }
        return try change { ctx in
            let record = try RecordStore.resolve(ctx.db, id, kind: .briefing)
            let briefing = Briefing(record: record)!
            let offsets = briefing.plainText.offsets
            var newIDs: [String: String] = [:]
            var out: [String] = []
            // Parents before replies.
            let ordered = items.filter { !($0["target"] is String) } + items.filter { $0["target"] is String }
            for (n, item) in ordered.enumerated() {
                let oldID = (item["id"] as? String) ?? "item-\(n)"
                let bodies =
                    (item["body"] as? [[String: Any]]) ?? ((item["body"] as? [String: Any]).map { [$0] } ?? [])
                let note =
                    bodies.first { ($0["purpose"] as? String) != "tagging" }.flatMap { $0["value"] as? String } ?? ""
                let tags = try Self.validTags(
                    bodies.filter { ($0["purpose"] as? String) == "tagging" }.compactMap { $0["value"] as? String })
                let annotation: Annotation
                if let parentRef = item["target"] as? String {
                    guard let parent = newIDs[parentRef] else {
                        throw ClientError(
                            .invalidArgument, "annotation \(oldID) replies to \(parentRef), which is not in the file")
                    }
                    let parentAnchor = try RecordStore.load(ctx.db, id: parent).flatMap(Annotation.init(record:))?
                        .anchor
                    annotation = Annotation(
                        id: ctx.newID(), briefing: record.id, kind: .note, anchor: parentAnchor, note: note,
                        tags: tags, author: ctx.author, parent: parent)
                } else {
                    annotation = try Self.w3cAnnotation(
                        item, id: oldID, note: note, tags: tags, briefing: briefing, offsets: offsets, ctx: &ctx)
                }
                try ctx.apply(annotation.record(at: ctx.stamp()))
                newIDs[oldID] = annotation.id
                out.append(annotation.id)
            }
            return out
        }
    }

    private static func w3cAnnotation(
        _ item: [String: Any], id oldID: String, note: String, tags: [String], briefing: Briefing,
        offsets: [String: Int], ctx: inout ChangeContext
    ) throws -> Annotation {
        let target = item["target"] as? [String: Any]
        let selectors = (target?["selector"] as? [[String: Any]]) ?? []
        guard let quote = selectors.first(where: { $0["type"] as? String == "TextQuoteSelector" }),
            let exact = quote["exact"] as? String, !exact.isEmpty
        else {
            throw ClientError(.invalidArgument, "annotation \(oldID) has no TextQuoteSelector with an exact quote")
        }
        let position = selectors.first { $0["type"] as? String == "TextPositionSelector" }
        let start = (position?["start"] as? Int) ?? -1
        // The section the position falls in, and the position inside it.
        let home = offsets.filter { $0.value <= start }.max { $0.value < $1.value }
        let local = home.map { start - $0.value } ?? 0
        let stored = Anchor(
            section: home?.key ?? briefing.sections[0].key, exact: exact, prefix: quote["prefix"] as? String ?? "",
            suffix: quote["suffix"] as? String ?? "", start: local, end: local + exact.unicodeScalars.count)
        let placement = Anchoring.place(stored, in: briefing.sections)
        guard placement.status.isConfident || placement.status == .fuzzy, let key = placement.section,
            let range = placement.range, let section = briefing.sections.first(where: { $0.key == key })
        else {
            throw ClientError(
                .quoteNotFound,
                "annotation \(oldID): quote \"\(exact)\" is \(placement.status.rawValue) in briefing \(Identifier.short(briefing.id)); nothing was imported"
            )
        }
        let kind: Annotation.Kind
        switch item["motivation"] as? String ?? "commenting" {
        case "highlighting": kind = .highlight
        case "questioning": kind = .question
        case "brief:watching", w3cNamespace + "watching": kind = .watch
        default: kind = .note
        }
        let state: Annotation.WatchState? =
            kind == .watch ? Annotation.WatchState(rawValue: item["brief:state"] as? String ?? "open") ?? .open : nil
        return Annotation(
            id: ctx.newID(), briefing: briefing.id, kind: kind,
            anchor: Anchor(section: key, text: section.text, range: range), note: note, tags: tags,
            author: ctx.author, state: state)
    }
}
