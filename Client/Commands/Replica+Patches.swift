import BriefSyncModel
import Foundation
import GRDB

/// One version in `brief log -p`: what it changed, field by field, in the words people use.
public struct VersionPatch: Sendable, Hashable, Codable {
    public var version: Int64
    public var user: String?
    /// ISO 8601.
    public var at: String
    public var changes: [FieldChange]
    /// Whether the version before this one is unknown to the replica (the changes then show
    /// every field as added).
    public var first: Bool
}

/// One field's change between two versions; `nil` for a value that was not (or is no longer) set.
public struct FieldChange: Sendable, Hashable, Codable {
    /// The field's name in the record (`section.KEY.text`, `note`, …).
    public var field: String
    /// What people call it: `section "Key Topics"`, `quote`, `watch state`, …
    public var name: String
    public var before: String?
    public var after: String?

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(field, forKey: .field)
        try c.encode(name, forKey: .name)
        try c.encode(before, forKey: .before)
        try c.encode(after, forKey: .after)
    }
}

extension Replica {
    /// The versions of record `id` this replica knows, oldest first, each with what it changed
    /// from the one before.
    public func patches(_ id: String) throws -> [VersionPatch] {
        try read { db in
            let record = try RecordStore.resolve(db, id)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT h.seq, h.user, h.at, \(RecordStore.versionState) AS state FROM \(RecordStore.versions)
                    WHERE h.record_id = ? ORDER BY h.seq
                    """, arguments: [record.id])
            var previous: Record? = nil
            return try rows.map { row in
                let state = try WireJSON.decode(Record.self, from: row["state"] as String)
                defer { previous = state }
                return VersionPatch(
                    version: row["seq"], user: row["user"], at: Self.iso8601(row["at"]),
                    changes: Self.changes(from: previous, to: state), first: previous == nil)
            }
        }
    }

    /// The fields whose values differ between `old` and `new`, in a stable order: title and
    /// other scalars first, then sections in the briefing's order, then tags and removal.
    static func changes(from old: Record?, to new: Record) -> [FieldChange] {
        let names = Set(old?.fields.keys.map { $0 } ?? []).union(new.fields.keys)
        let order = (Briefing(record: new)?.sections.map(\.key) ?? [])
        func rank(_ field: String) -> (Int, Int, String) {
            guard field.hasPrefix("section.") else { return (0, field == Briefing.Field.title ? 0 : 1, field) }
            let key = field.dropFirst(8).split(separator: ".").first.map(String.init) ?? ""
            return (1, order.firstIndex(of: key) ?? order.count, field)
        }
        var out: [FieldChange] = []
        for field in names.sorted(by: { rank($0) < rank($1) }) {
            let before = old?.fields[field].map { display(field, $0.value) } ?? nil
            let after = new.fields[field].map { display(field, $0.value) } ?? nil
            guard before != after else { continue }
            out.append(FieldChange(field: field, name: name(field, in: old, new), before: before, after: after))
        }
        let tagsBefore = old?.tags.elements.sorted().joined(separator: ", ")
        let tagsAfter = new.tags.elements.sorted().joined(separator: ", ")
        if (tagsBefore ?? "") != tagsAfter {
            out.append(
                FieldChange(
                    field: "tags", name: "tags", before: tagsBefore?.isEmpty == false ? tagsBefore : nil,
                    after: tagsAfter.isEmpty ? nil : tagsAfter))
        }
        if (old?.isDeleted ?? false) != new.isDeleted {
            out.append(
                FieldChange(
                    field: "deleted", name: "removed", before: old?.isDeleted == true ? "yes" : "no",
                    after: new.isDeleted ? "yes" : "no"))
        }
        return out
    }

    /// A field's value as text: strings as they are, a quote's words, anything else as JSON.
    static func display(_ field: String, _ value: JSONValue) -> String? {
        switch value {
        case .null: return nil
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return b ? "yes" : "no"
        case .object(let o) where field == Annotation.Field.anchor:
            if case .string(let exact)? = o["exact"] { return exact }
            return (try? WireJSON.string(value)) ?? ""
        case .array(let a) where field == Briefing.Field.sections:
            return a.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
                .joined(separator: ", ")
        default: return (try? WireJSON.string(value)) ?? ""
        }
    }

    /// What people call `field`: a section by its heading, an anchor its quote.
    static func name(_ field: String, in old: Record?, _ new: Record) -> String {
        if field.hasPrefix("section.") {
            let parts = field.split(separator: ".")
            let key = parts.dropFirst().dropLast().joined(separator: ".")
            let heading =
                new[Briefing.Field.heading(key)]?.string ?? old?[Briefing.Field.heading(key)]?.string ?? ""
            let label = heading.isEmpty ? "section \(key)" : "section \"\(heading)\""
            switch parts.last {
            case "heading": return "heading of \(label)"
            case "level": return "heading level of \(label)"
            default: return label
            }
        }
        switch field {
        case Briefing.Field.sections: return "section order"
        case Annotation.Field.anchor: return "quote"
        case Annotation.Field.parent: return "reply to"
        case Annotation.Field.state: return "watch state"
        default: return field
        }
    }
}
