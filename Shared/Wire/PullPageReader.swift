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

    /// The page object (depth 1).
    private mutating func page() throws(JSONParser.Failure) -> Wire.PullResponse {
        var records: [Wire.PulledRecord]?
        var cursor: String?
        var more: Bool?
        var acked: [String]?
        var teams: [String]?
        var total: Int64?
        var seen = SeenKeys()
        let names = Self.pageKeys
        if try p.openObject(depth: 1, for: "page") {
            repeat {
                let key = try p.key(among: names)
                try seen.insert(key, of: names, p)
                switch key {
                case .known(0): records = try self.records()
                case .known(1): cursor = try p.string(for: "cursor")
                case .known(2): more = try p.bool(for: "more")
                case .known(3): acked = try strings(depth: 2, for: "acked")
                case .known(4): teams = try p.null() ? nil : try strings(depth: 2, for: "teams")
                case .known(5): total = try p.null() ? nil : try p.int(for: "total")
                default: _ = try p.value(depth: 1)
                }
            } while try p.nextMember()
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
            var seen = SeenKeys()
            let names = Self.pulledKeys
            if try p.openObject(depth: 3, for: "a pulled record") {
                repeat {
                    let key = try p.key(among: names)
                    try seen.insert(key, of: names, p)
                    switch key {
                    case .known(0): seq = try p.int(for: "seq")
                    case .known(1):
                        let start = p.index
                        record = try self.record()
                        let text = UnsafeBufferPointer(rebasing: p.bytes[start..<p.index])
                        states.append(String(decoding: text, as: UTF8.self))
                    default: _ = try p.value(depth: 3)
                    }
                } while try p.nextMember()
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
        var seen = SeenKeys()
        let names = Self.recordKeys
        if try p.openObject(depth: 4, for: "record") {
            repeat {
                let key = try p.key(among: names)
                try seen.insert(key, of: names, p)
                switch key {
                case .known(0): id = try p.string(for: "id")
                case .known(1):
                    let start = p.index
                    let text = try p.string(for: "kind")
                    guard let k = RecordKind(rawValue: text) else {
                        throw JSONParser.Failure(offset: start, reason: "'\(text.prefix(40))' is no kind of record")
                    }
                    kind = k
                case .known(2):
                    guard try p.openObject(depth: 5, for: "fields") else { break }
                    fields.reserveCapacity(12)
                    repeat {
                        let name = try p.key()
                        guard fields.updateValue(try register(), forKey: name) == nil else { throw p.twice(name) }
                    } while try p.nextMember()
                case .known(3): tags = try tagSet()
                case .known(4): deleted = try p.stamp(for: "deleted")
                default: _ = try p.value(depth: 4)
                }
            } while try p.nextMember()
        }
        guard let id else { throw missing("id") }
        guard let kind else { throw missing("kind") }
        return Record(id: id, kind: kind, fields: fields, tags: tags, deleted: deleted)
    }

    /// A register (depth 6): `v`, any value, and `s`, its stamp.
    private mutating func register() throws(JSONParser.Failure) -> Register {
        var value: JSONValue?
        var stamp: Stamp?
        var seen = SeenKeys()
        let names = Self.registerKeys
        if try p.openObject(depth: 6, for: "a field") {
            repeat {
                let key = try p.key(among: names)
                try seen.insert(key, of: names, p)
                switch key {
                case .known(0): value = try p.value(depth: 6)
                case .known(1): stamp = try p.stamp(for: "s")
                default: _ = try p.value(depth: 6)
                }
            } while try p.nextMember()
        }
        guard let value else { throw missing("v") }
        guard let stamp else { throw missing("s") }
        return Register(value, at: stamp)
    }

    /// A record's tags (depth 5): `added` (6), tag → stamps (7), and `removed` (6).
    private mutating func tagSet() throws(JSONParser.Failure) -> TagSet {
        var added: [String: Set<Stamp>] = [:]
        var removed: Set<Stamp> = []
        var seen = SeenKeys()
        let names = Self.tagKeys
        if try p.openObject(depth: 5, for: "tags") {
            repeat {
                let key = try p.key(among: names)
                try seen.insert(key, of: names, p)
                switch key {
                case .known(0):
                    guard try p.openObject(depth: 6, for: "added") else { break }
                    repeat {
                        let tag = try p.key()
                        guard added.updateValue(try stamps(depth: 7, for: tag), forKey: tag) == nil else {
                            throw p.twice(tag)
                        }
                    } while try p.nextMember()
                case .known(1): removed = try stamps(depth: 6, for: "removed")
                default: _ = try p.value(depth: 5)
                }
            } while try p.nextMember()
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
