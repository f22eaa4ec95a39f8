/// Reads a pull page from its bytes straight into typed records, with each record's JSON text
/// as the server sent it.
///
/// Parsing the page into a `JSONValue` tree, typing the tree, then freeing it cost ~6 µs a
/// record: the largest part of a clone's CPU beside the writer it waits on (issue 12). This
/// reader builds no tree for the page's structure: only field values (`v`) are `JSONValue`s.
///
/// It accepts exactly the pages ``JSONParser`` then ``Wire/PullResponse/init(wire:at:)`` accept
/// (strict grammar, duplicate keys refused in every object, nesting bounded by `maxDepth`,
/// unknown members read and ignored, `null` only where a member is optional) and reads the same
/// page from them; a seeded test compares the two on whole and damaged pages. Its refusals say
/// what was wrong and where, in ``JSONParser/Failure``'s words.
struct PullPageReader {
    private var p: JSONParser
    private var states: [String] = []

    // The members each object is read for, in the order its `switch` numbers them.
    private static let pageKeys: [StaticString] = ["records", "cursor", "more", "acked", "teams", "total"]
    private static let pulledKeys: [StaticString] = ["seq", "record"]
    private static let recordKeys: [StaticString] = ["id", "kind", "fields", "tags", "deleted"]
    private static let registerKeys: [StaticString] = ["v", "s"]
    private static let tagKeys: [StaticString] = ["added", "removed"]

    /// The page in `bytes` and each record's text, in order; `maxDepth` as ``JSONParser``'s.
    static func read(
        _ bytes: [UInt8], maxDepth: Int
    ) throws(JSONParser.Failure) -> (page: Wire.PullResponse, states: [String]) {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParser.Failure) in
            var reader = PullPageReader(p: JSONParser(bytes: buffer, maxDepth: maxDepth))
            reader.p.skipSpace()
            let page = try reader.page()
            reader.p.skipSpace()
            guard reader.p.index == buffer.count else { throw reader.p.failure("text after the JSON value") }
            return (page, reader.states)
        }
    }

    /// Reads the object at the parser, `depth` deep, member by member: `member` reads the value
    /// of the `i`-th of `names` (the parser at it); another member's value is read and ignored.
    /// A key twice is refused.
    private mutating func object(
        depth: Int, for name: String, _ names: [StaticString],
        _ member: (inout Self, Int) throws(JSONParser.Failure) -> Void
    ) throws(JSONParser.Failure) {
        guard try p.openObject(depth: depth, for: name) else { return }
        var seen = SeenKeys()
        repeat {
            let key = try p.key(among: names)
            try seen.insert(key, of: names, p)
            if case .known(let i) = key { try member(&self, i) } else { _ = try p.value(depth: depth) }
        } while try p.nextMember()
    }

    /// The page object (depth 1).
    private mutating func page() throws(JSONParser.Failure) -> Wire.PullResponse {
        var records: [Wire.PulledRecord]?
        var cursor: String?
        var more: Bool?
        var acked: [String]?
        var teams: [String]?
        var total: Int64?
        try object(depth: 1, for: "page", Self.pageKeys) { r, i throws(JSONParser.Failure) in
            switch i {
            case 0: records = try r.records()
            case 1: cursor = try r.p.string(for: "cursor")
            case 2: more = try r.p.bool(for: "more")
            case 3: acked = try r.strings(depth: 2, for: "acked")
            case 4: teams = try r.p.null() ? nil : try r.strings(depth: 2, for: "teams")
            default: total = try r.p.null() ? nil : try r.p.int(for: "total")
            }
        }
        guard let records else { throw missing("records") }
        guard let cursor else { throw missing("cursor") }
        guard let more else { throw missing("more") }
        guard let acked else { throw missing("acked") }
        let count = total.flatMap { Int(exactly: $0) }
        guard (total == nil) == (count == nil) else { throw p.failure("'total' does not fit in an Int") }
        return Wire.PullResponse(
            records: records, cursor: cursor, more: more, acked: acked, teams: teams ?? [], total: count)
    }

    /// `records` (depth 2): each a pulled record (depth 3) holding a record (depth 4).
    private mutating func records() throws(JSONParser.Failure) -> [Wire.PulledRecord] {
        var out: [Wire.PulledRecord] = []
        guard try p.openArray(depth: 2, for: "records") else { return out }
        repeat {
            var seq: Int64?
            var record: Record?
            try object(depth: 3, for: "a pulled record", Self.pulledKeys) { r, i throws(JSONParser.Failure) in
                if i == 0 {
                    seq = try r.p.int(for: "seq")
                } else {
                    let start = r.p.index
                    record = try r.record()
                    let text = UnsafeBufferPointer(rebasing: r.p.bytes[start..<r.p.index])
                    r.states.append(String(decoding: text, as: UTF8.self))
                }
            }
            guard let seq else { throw missing("seq") }
            guard let record else { throw missing("record") }
            out.append(Wire.PulledRecord(seq: seq, record: record))
        } while try p.nextElement()
        return out
    }

    /// A record (depth 4), its fields (5), each a register (6).
    private mutating func record() throws(JSONParser.Failure) -> Record {
        var id: String?
        var kind: RecordKind?
        var fields: [String: Register] = [:]
        var tags = TagSet()
        var deleted: Stamp?
        try object(depth: 4, for: "record", Self.recordKeys) { r, i throws(JSONParser.Failure) in
            switch i {
            case 0: id = try r.p.string(for: "id")
            case 1:
                let start = r.p.index
                let text = try r.p.string(for: "kind")
                guard let k = RecordKind(rawValue: text) else {
                    throw JSONParser.Failure(offset: start, reason: "'\(text.prefix(40))' is no kind of record")
                }
                kind = k
            case 2:
                guard try r.p.openObject(depth: 5, for: "fields") else { break }
                fields.reserveCapacity(12)
                repeat {
                    let name = try r.p.key()
                    guard fields.updateValue(try r.register(), forKey: name) == nil else { throw r.p.twice(name) }
                } while try r.p.nextMember()
            case 3: tags = try r.tagSet()
            default: deleted = try r.p.stamp(for: "deleted")
            }
        }
        guard let id else { throw missing("id") }
        guard let kind else { throw missing("kind") }
        return Record(id: id, kind: kind, fields: fields, tags: tags, deleted: deleted)
    }

    /// A register (depth 6): `v`, any value, and `s`, its stamp.
    private mutating func register() throws(JSONParser.Failure) -> Register {
        var value: JSONValue?
        var stamp: Stamp?
        try object(depth: 6, for: "a field", Self.registerKeys) { r, i throws(JSONParser.Failure) in
            if i == 0 { value = try r.p.value(depth: 6) } else { stamp = try r.p.stamp(for: "s") }
        }
        guard let value else { throw missing("v") }
        guard let stamp else { throw missing("s") }
        return Register(value, at: stamp)
    }

    /// A record's tags (depth 5): `added` (6), tag → stamps (7), and `removed` (6).
    private mutating func tagSet() throws(JSONParser.Failure) -> TagSet {
        var added: [String: Set<Stamp>] = [:]
        var removed: Set<Stamp> = []
        try object(depth: 5, for: "tags", Self.tagKeys) { r, i throws(JSONParser.Failure) in
            if i == 1 {
                removed = try r.stamps(depth: 6, for: "removed")
                return
            }
            guard try r.p.openObject(depth: 6, for: "added") else { return }
            repeat {
                let tag = try r.p.key()
                guard added.updateValue(try r.stamps(depth: 7, for: tag), forKey: tag) == nil else {
                    throw r.p.twice(tag)
                }
            } while try r.p.nextMember()
        }
        return TagSet(added: added, removed: removed)
    }

    private mutating func stamps(depth: Int, for name: String) throws(JSONParser.Failure) -> Set<Stamp> {
        var out: Set<Stamp> = []
        guard try p.openArray(depth: depth, for: name) else { return out }
        repeat { out.insert(try p.stamp(for: name)) } while try p.nextElement()
        return out
    }

    private mutating func strings(depth: Int, for name: String) throws(JSONParser.Failure) -> [String] {
        var out: [String] = []
        guard try p.openArray(depth: depth, for: name) else { return out }
        repeat { out.append(try p.string(for: name)) } while try p.nextElement()
        return out
    }

    /// A required member that is missing: named at the end of its object.
    private func missing(_ key: String) -> JSONParser.Failure {
        p.failure("no '\(key)' in the object that ends here")
    }
}
