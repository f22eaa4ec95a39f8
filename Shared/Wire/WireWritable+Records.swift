// The records' and the sync messages' wire JSON, written directly (``JSONWriter``). Each writes
// its members in the sorted order `JSONEncoder` uses and leaves out what its synthesized
// `encode(to:)` leaves out (`nil` optionals), so the bytes are the same.

extension JSONValue: WireWritable {
    public func write(to w: inout JSONWriter) {
        switch self {
        case .null: w.null()
        case .bool(let b): w.bool(b)
        case .int(let i): w.int(i)
        case .string(let s): w.string(s)
        case .array(let a): w.array(a)
        case .object(let o): w.object(o) { w, v in v.write(to: &w) }
        }
    }
}

extension Stamp: WireWritable {
    /// ``description`` in quotes, written without building the string.
    public func write(to w: inout JSONWriter) {
        w.bytes.append(0x22)
        w.stampText(self)
        w.bytes.append(0x22)
    }
}

extension JSONWriter {
    /// A stamp's text form (see ``Stamp/description``), replica escaped.
    mutating func stampText(_ stamp: Stamp) {
        guard stamp.appendFixedText(to: &bytes) else {
            contents(of: stamp.description)
            return
        }
        contents(of: stamp.replica)
    }
}

extension Array: WireWritable where Element == String {
    public func write(to w: inout JSONWriter) { w.array(self) }
}

extension Register: WireWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("s", first: true)
        stamp.write(to: &w)
        w.key("v", first: false)
        value.write(to: &w)
        w.endObject()
    }
}

extension TagSet: WireWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("added", first: true)
        w.object(added) { w, dots in w.array(dots.sorted()) }
        w.key("removed", first: false)
        w.array(removed.sorted())
        w.endObject()
    }
}

extension Record: WireWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        var first = true
        if let deleted {
            w.key("deleted", first: true)
            deleted.write(to: &w)
            first = false
        }
        w.key("fields", first: first)
        w.object(fields) { w, r in r.write(to: &w) }
        w.key("id", first: false)
        w.string(id)
        w.key("kind", first: false)
        w.string(kind.rawValue)
        w.key("tags", first: false)
        tags.write(to: &w)
        w.endObject()
    }
}

extension Mutation: WireWritable {
    public func write(to w: inout JSONWriter) {
        write(to: &w) { delta.write(to: &$0) }
    }

    /// The mutation with its delta's JSON written earlier (`WireJSON.bytes(delta)`): the same bytes
    /// as ``write(to:)``, without encoding the delta twice when both are stored.
    public func write(to w: inout JSONWriter, deltaJSON: [UInt8]) {
        write(to: &w) { $0.raw(deltaJSON) }
    }

    private func write(to w: inout JSONWriter, delta writeDelta: (inout JSONWriter) -> Void) {
        w.beginObject()
        w.key("base", first: true)
        w.int(base)
        w.key("delta", first: false)
        writeDelta(&w)
        w.key("id", first: false)
        w.string(id)
        w.key("replica", first: false)
        w.string(replica)
        w.endObject()
    }
}

extension Wire.PushRequest: WireWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        if let epoch {
            w.key("epoch", first: true)
            w.string(epoch)
        }
        w.key("mutations", first: epoch == nil)
        w.array(mutations)
        w.endObject()
    }
}

extension Wire.MutationResult: WireWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        var first = true
        if let after {
            w.key("after", first: true)
            w.int(after)
            first = false
        }
        if let current {
            w.key("current", first: first)
            current.write(to: &w)
            first = false
        }
        w.key("id", first: first)
        w.string(id)
        if let reason {
            w.key("reason", first: false)
            w.string(reason)
        }
        w.key("seq", first: false)
        w.int(seq)
        w.key("status", first: false)
        w.string(status.rawValue)
        w.endObject()
    }
}

extension Wire.PushResponse: WireWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("results", first: true)
        w.array(results)
        w.endObject()
    }
}

extension Wire.PulledRecord: WireWritable {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("record", first: true)
        record.write(to: &w)
        w.key("seq", first: false)
        w.int(seq)
        w.endObject()
    }
}

extension Wire.PullResponse: WireWritable {
    public func write(to w: inout JSONWriter) {
        Self.write(to: &w, cursor: cursor, more: more, acked: acked, teams: teams, total: total) { w in
            w.array(records)
        }
    }

    /// The page's members in order, its records written by `records` (typed, or as stored:
    /// ``bytes(stored:cursor:more:acked:teams:total:)``).
    static func write(
        to w: inout JSONWriter, cursor: String, more: Bool, acked: [String], teams: [String], total: Int?,
        records: (inout JSONWriter) -> Void
    ) {
        w.beginObject()
        w.key("acked", first: true)
        w.array(acked)
        w.key("cursor", first: false)
        w.string(cursor)
        w.key("more", first: false)
        w.bool(more)
        w.key("records", first: false)
        records(&w)
        w.key("teams", first: false)
        w.array(teams)
        if let total {
            w.key("total", first: false)
            w.int(Int64(total))
        }
        w.endObject()
    }
}
