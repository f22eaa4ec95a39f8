/// A value read from a parsed ``JSONValue`` directly, without a `Decoder`: what a push body's
/// mutations use, so a push is parsed once (``JSONParser``) and typed once.
///
/// Refusals are the `DecodingError`s `JSONDecoder` gives for the same input — same cases, same
/// coding paths — so the server's messages name the field as before.
public protocol WireReadable {
    init(wire: JSONValue, at path: [any CodingKey]) throws
}

/// A key in a coding path.
struct WirePathKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ name: String) { stringValue = name }
    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.init(index: intValue) }
}

/// The members of an object being read, with the helpers that give `JSONDecoder`'s errors.
struct WireObject {
    let members: [String: JSONValue]
    let path: [any CodingKey]

    init(_ value: JSONValue, at path: [any CodingKey]) throws {
        guard case .object(let members) = value else { throw Self.mismatch([String: Any].self, value, path) }
        self.members = members
        self.path = path
    }

    static func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
        if value == .null {
            return .valueNotFound(
                type,
                .init(
                    codingPath: path, debugDescription: "Cannot get value of type \(type) -- found null value instead"))
        }
        return .typeMismatch(
            type,
            .init(codingPath: path, debugDescription: "Expected to decode \(type) but found another type instead."))
    }

    func contains(_ key: String) -> Bool { members[key] != nil }

    func value(_ key: String) throws -> JSONValue {
        guard let v = members[key] else {
            throw DecodingError.keyNotFound(
                WirePathKey(key), .init(codingPath: path, debugDescription: "No value associated with key \(key)."))
        }
        return v
    }

    func string(_ key: String) throws -> String {
        let v = try value(key)
        guard case .string(let s) = v else { throw Self.mismatch(String.self, v, path + [WirePathKey(key)]) }
        return s
    }

    func int(_ key: String) throws -> Int64 {
        let v = try value(key)
        guard case .int(let i) = v else { throw Self.mismatch(Int64.self, v, path + [WirePathKey(key)]) }
        return i
    }

    func bool(_ key: String) throws -> Bool {
        let v = try value(key)
        guard case .bool(let b) = v else { throw Self.mismatch(Bool.self, v, path + [WirePathKey(key)]) }
        return b
    }

    /// `decodeIfPresent`: missing or `null` is `nil`.
    func optional<T>(_ key: String, _ read: (String) throws -> T) throws -> T? {
        guard let v = members[key], v != .null else { return nil }
        return try read(key)
    }

    /// An array of strings under `key`.
    func strings(_ key: String) throws -> [String] {
        let v = try value(key)
        let here = path + [WirePathKey(key)]
        guard case .array(let elements) = v else { throw Self.mismatch([Any].self, v, here) }
        return try elements.enumerated().map { i, e in
            guard case .string(let s) = e else { throw Self.mismatch(String.self, e, here + [WirePathKey(index: i)]) }
            return s
        }
    }

    func read<T: WireReadable>(_ type: T.Type, _ key: String) throws -> T {
        try T(wire: try value(key), at: path + [WirePathKey(key)])
    }

    /// An array of `T`s under `key`.
    func array<T: WireReadable>(_ type: T.Type, _ key: String) throws -> [T] {
        let v = try value(key)
        guard case .array(let elements) = v else { throw Self.mismatch([Any].self, v, path + [WirePathKey(key)]) }
        let here = path + [WirePathKey(key)]
        var out: [T] = []
        out.reserveCapacity(elements.count)
        for (i, e) in elements.enumerated() { out.append(try T(wire: e, at: here + [WirePathKey(index: i)])) }
        return out
    }
}

extension Stamp: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        guard case .string(let text) = wire else { throw WireObject.mismatch(String.self, wire, path) }
        guard let stamp = Stamp(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "not a stamp: \(text)"))
        }
        self = stamp
    }
}

extension Register: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        let o = try WireObject(wire, at: path)
        self.init(try o.value("v"), at: try o.read(Stamp.self, "s"))
    }
}

extension TagSet: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        let o = try WireObject(wire, at: path)
        var added: [String: Set<Stamp>] = [:]
        if o.contains("added") {
            let here = path + [WirePathKey("added")]
            let a = try WireObject(try o.value("added"), at: here)
            for (tag, dots) in a.members {
                guard case .array(let stamps) = dots else {
                    throw WireObject.mismatch([Any].self, dots, here + [WirePathKey(tag)])
                }
                var set = Set<Stamp>(minimumCapacity: stamps.count)
                for (i, s) in stamps.enumerated() {
                    set.insert(try Stamp(wire: s, at: here + [WirePathKey(tag), WirePathKey(index: i)]))
                }
                added[tag] = set
            }
        }
        let removed = o.contains("removed") ? Set(try o.array(Stamp.self, "removed")) : []
        self.init(added: added, removed: removed)
    }
}

extension Record: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        let o = try WireObject(wire, at: path)
        let id = try o.string("id")
        let kindText = try o.string("kind")
        guard let kind = RecordKind(rawValue: kindText) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: path + [WirePathKey("kind")],
                    debugDescription: "Cannot initialize RecordKind from invalid String value \(kindText)"))
        }
        var fields: [String: Register] = [:]
        if o.contains("fields") {
            let here = path + [WirePathKey("fields")]
            let f = try WireObject(try o.value("fields"), at: here)
            fields.reserveCapacity(f.members.count)
            for (name, register) in f.members {
                fields[name] = try Register(wire: register, at: here + [WirePathKey(name)])
            }
        }
        self.init(
            id: id, kind: kind, fields: fields, tags: o.contains("tags") ? try o.read(TagSet.self, "tags") : TagSet(),
            deleted: o.contains("deleted") ? try o.read(Stamp.self, "deleted") : nil)
    }
}

extension Mutation: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        let o = try WireObject(wire, at: path)
        self.init(
            id: try o.string("id"), replica: try o.string("replica"), delta: try o.read(Record.self, "delta"),
            base: o.contains("base") ? try o.int("base") : 0)
    }
}

extension Wire.PushRequest: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        let o = try WireObject(wire, at: path)
        self.init(
            mutations: try o.array(Mutation.self, "mutations"), epoch: o.contains("epoch") ? try o.string("epoch") : nil
        )
    }
}

extension Wire.MutationResult: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        let o = try WireObject(wire, at: path)
        // In declaration order, as the synthesized decoder reads them (the first problem is named).
        let id = try o.string("id")
        let statusText = try o.string("status")
        guard let status = Status(rawValue: statusText) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: path + [WirePathKey("status")],
                    debugDescription: "Cannot initialize Status from invalid String value \(statusText)"))
        }
        self.init(
            id: id, status: status, seq: try o.int("seq"), reason: try o.optional("reason", o.string),
            current: try o.optional("current") { try o.read(Record.self, $0) })
    }
}

extension Wire.PushResponse: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        self.init(results: try WireObject(wire, at: path).array(Wire.MutationResult.self, "results"))
    }
}

extension Wire.PulledRecord: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        let o = try WireObject(wire, at: path)
        self.init(seq: try o.int("seq"), record: try o.read(Record.self, "record"))
    }
}

extension Wire.PullResponse: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        let o = try WireObject(wire, at: path)
        let records = try o.array(Wire.PulledRecord.self, "records")
        let cursor = try o.string("cursor")
        let more = try o.bool("more")
        let acked = try o.strings("acked")
        let teams = try o.optional("teams", o.strings) ?? []
        let total = try o.optional("total", o.int)
        guard total.map({ Int(exactly: $0) != nil }) ?? true else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: path + [WirePathKey("total")], debugDescription: "Number does not fit in Int."))
        }
        self.init(
            records: records, cursor: cursor, more: more, acked: acked, teams: teams, total: total.map { Int($0) })
    }
}
