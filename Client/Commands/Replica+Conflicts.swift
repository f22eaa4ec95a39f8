import BriefSyncModel
import Foundation
import GRDB

/// An open conflict as `brief conflicts` and `brief show` present it.
public struct ConflictView: Sendable, Hashable, Codable {
    public var id: String
    public var record: String
    public var briefing: String
    public var kind: String
    public var field: String
    /// The section heading for a section text, `note` for an annotation note.
    public var label: String
    public var base: String
    public var current: Conflict.Side
    public var other: Conflict.Side
}

extension Replica {
    /// Open conflicts, optionally only those of one briefing.
    public func conflicts(briefing: String? = nil) throws -> [ConflictView] {
        try read { db in try Self.conflicts(db, briefing: briefing) }
    }

    static func conflicts(_ db: Database, briefing: String?) throws -> [ConflictView] {
        let states: [String]
        if let briefing {
            states = try String.fetchAll(
                db, sql: "SELECT state FROM records WHERE briefing = ? AND kind = 'conflict' AND deleted = 0",
                arguments: [briefing])
        } else {
            states = try String.fetchAll(db, sql: "SELECT state FROM records WHERE kind = 'conflict' AND deleted = 0")
        }
        return try states.compactMap { Conflict(record: try WireJSON.decode(Record.self, from: $0)) }
            .filter { $0.status == .open }
            .map { c in
                let target = try RecordStore.load(db, id: c.record)
                var label = c.field
                if let target, let b = Briefing(record: target), let key = Briefing.Field.sectionKey(ofText: c.field) {
                    label = b.sections.first { $0.key == key }.map { $0.heading.isEmpty ? key : $0.heading } ?? key
                }
                return ConflictView(
                    id: c.id, record: c.record, briefing: c.briefing, kind: target?.kind.rawValue ?? "record",
                    field: c.field,
                    label: label, base: c.base, current: c.winner, other: c.loser)
            }
            .sorted { ($0.briefing, $0.record, $0.field, $0.id) < ($1.briefing, $1.record, $1.field, $1.id) }
    }

    /// How to resolve a conflict.
    public enum Resolution: Sendable, Hashable {
        /// The side written by this replica's user (the current text if neither or both are).
        case mine
        /// The other side.
        case theirs
        /// The text both started from.
        case base
        /// A new text.
        case text(String)
    }

    /// Resolves conflict `id`: writes the chosen text into the record and marks the conflict
    /// resolved, in one transaction (two synced changes). Returns the chosen text.
    @discardableResult
    public func resolve(_ id: String, _ resolution: Resolution) throws -> String {
        try change { ctx in
            let record = try RecordStore.resolve(ctx.db, id, kind: .conflict)
            guard var conflict = Conflict(record: record) else {
                throw ClientError(.notFound, "\(Identifier.short(id)) is not a conflict; see 'brief conflicts'")
            }
            guard conflict.status == .open else {
                throw ClientError(.invalidArgument, "conflict \(Identifier.short(conflict.id)) is already resolved")
            }
            let me = ctx.author
            let mineIsCurrent = conflict.loser.author != me || conflict.winner.author == me
            let text: String
            switch resolution {
            case .mine: text = mineIsCurrent ? conflict.winner.text : conflict.loser.text
            case .theirs: text = mineIsCurrent ? conflict.loser.text : conflict.winner.text
            case .base: text = conflict.base
            case .text(let t): text = t
            }
            if let target = try RecordStore.load(ctx.db, id: conflict.record), !target.isDeleted,
                target[conflict.field]?.string != text
            {
                var delta = Record(id: target.id, kind: target.kind)
                delta.set(conflict.field, .string(text), at: ctx.stamp())
                try ctx.apply(delta)
            }
            conflict.status = .resolved
            conflict.resolution = text
            let delta = Record.delta(from: record, to: conflict.record(at: .zero), at: ctx.stamp())
            try ctx.apply(delta)
            return text
        }
    }
}
