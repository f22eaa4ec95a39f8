/// The server's merge of one mutation into a record, given what the mutation's author had seen.
///
/// Starts from the plain CRDT merge (``Record/merge(_:_:)``) and adds the rules that need the
/// common base (see `docs/sync-model.md`):
/// - **Text fields** (section text, annotation notes): if both sides changed the text since the
///   base, a three-way ``TextMerge``; a clean merge is written with a fresh server stamp, a clash
///   keeps the stamp winner's text and reports a ``TextClash`` for a conflict record. If only one
///   side changed it, that side's text wins whatever the stamps say.
/// - **Delete against a concurrent edit**: the edit revives the record. Edits the deleter had not
///   seen (or edits made without seeing the delete) are re-stamped after the deletion.
///
/// Every register it writes gets a stamp from `clock`, larger than any stamp involved, so the
/// result is still an upper bound of everything merged and replicas that merge it converge.
public enum Reconcile {
    /// Two concurrent edits of one text that did not merge.
    public struct TextClash: Sendable, Hashable {
        public var field: String
        public var base: String
        public var winner: Register
        public var loser: Register

        public init(field: String, base: String, winner: Register, loser: Register) {
            self.field = field
            self.base = base
            self.winner = winner
            self.loser = loser
        }
    }

    /// Whether `field` of a `kind` record is merged as text.
    public static func isText(_ field: String, kind: RecordKind) -> Bool {
        switch kind {
        case .briefing: return Briefing.Field.sectionKey(ofText: field) != nil
        case .annotation: return field == Annotation.Field.note
        case .conflict: return false
        }
    }

    /// - Parameters:
    ///   - delta: the incoming change.
    ///   - current: the record as stored, if any.
    ///   - seen: the record as the change's author had seen it (its base), if any.
    ///   - clock: the server's clock; it is moved past every stamp involved.
    public static func apply(
        _ delta: Record, to current: Record?, seen: Record?, clock: inout HybridLogicalClock, wall: Int64
    ) -> (record: Record, clashes: [TextClash]) {
        guard let current else { return (delta, []) }
        try? clock.receive(max(delta.latestStamp, current.latestStamp), wall: wall)
        var out = Record.merge(current, delta)
        var clashes: [TextClash] = []
        for (field, incoming) in delta.fields.sorted(by: { $0.key < $1.key }) where isText(field, kind: delta.kind) {
            guard let mine = current.fields[field], mine.value != incoming.value,
                case .string(let currentText) = mine.value, case .string(let incomingText) = incoming.value
            else { continue }
            let baseText = seen?[field]?.string ?? ""
            if currentText == baseText {
                if incoming.stamp < mine.stamp {
                    out.fields[field] = Register(incoming.value, at: clock.tick(wall: wall))
                }
            } else if incomingText == baseText {
                if incoming.stamp > mine.stamp { out.fields[field] = Register(mine.value, at: clock.tick(wall: wall)) }
            } else {
                switch TextMerge.merge(base: baseText, ours: currentText, theirs: incomingText) {
                case .merged(let text):
                    out.fields[field] = Register(.string(text), at: clock.tick(wall: wall))
                case .conflict:
                    let winner = Register.merge(mine, incoming)
                    clashes.append(
                        TextClash(field: field, base: baseText, winner: winner, loser: winner == mine ? incoming : mine)
                    )
                }
            }
        }
        if let deleted = out.deleted {
            var revive: [String] = []
            if delta.deleted != nil {
                // A delete: fields changed since the deleter's base were edits it had not seen.
                revive = current.fields.filter { name, reg in
                    seen?.fields[name]?.stamp != reg.stamp && reg.stamp < deleted
                }.map(\.key)
            } else if current.deleted != nil && seen?.deleted != current.deleted {
                // An edit made without seeing the delete.
                revive = delta.fields.keys.filter { out.fields[$0]!.stamp < deleted }
            }
            if !revive.isEmpty {
                let stamp = clock.tick(wall: wall)
                for name in revive.sorted() { out.fields[name] = Register(out.fields[name]!.value, at: stamp) }
            }
        }
        return (out, clashes)
    }
}
