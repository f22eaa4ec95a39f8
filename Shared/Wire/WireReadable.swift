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

/// Paths are built only for a refusal: each level reads with paths relative to itself, and a
/// `DecodingError` gets the keys it passed through prefixed as it unwinds (``located(_:_:)``).
/// Building them on the way in cost an array and a boxed key per field of every record.
func located<T>(_ key: @autoclosure () -> any CodingKey, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as DecodingError {
        throw error.under([key()])
    }
}

extension DecodingError {
    /// The same refusal, its coding path below `prefix`.
    func under(_ prefix: [any CodingKey]) -> DecodingError {
        guard !prefix.isEmpty else { return self }
        func moved(_ c: Context) -> Context {
            Context(
                codingPath: prefix + c.codingPath, debugDescription: c.debugDescription,
                underlyingError: c.underlyingError)
        }
        switch self {
        case .typeMismatch(let type, let c): return .typeMismatch(type, moved(c))
        case .valueNotFound(let type, let c): return .valueNotFound(type, moved(c))
        case .keyNotFound(let key, let c): return .keyNotFound(key, moved(c))
        case .dataCorrupted(let c): return .dataCorrupted(moved(c))
        @unknown default: return self
        }
    }
}

/// Reads a value whose refusals are relative to it, then places them at `path`.
func reading<T>(at path: [any CodingKey], _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as DecodingError {
        throw error.under(path)
    }
}

/// The members of an object being read, with the helpers that give `JSONDecoder`'s errors
/// (paths relative to the object).
struct WireObject {
    let members: [String: JSONValue]

    init(_ value: JSONValue) throws {
        guard case .object(let members) = value else { throw Self.mismatch([String: Any].self, value, []) }
        self.members = members
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
                WirePathKey(key), .init(codingPath: [], debugDescription: "No value associated with key \(key)."))
        }
        return v
    }

    func string(_ key: String) throws -> String {
        let v = try value(key)
        guard case .string(let s) = v else { throw Self.mismatch(String.self, v, [WirePathKey(key)]) }
        return s
    }

    /// A string member that names a case of `R`; another string is refused as the decoder
    /// refuses an unknown raw value.
    func raw<R: RawRepresentable>(_ type: R.Type, _ key: String) throws -> R where R.RawValue == String {
        let text = try string(key)
        guard let value = R(rawValue: text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: [WirePathKey(key)],
                    debugDescription: "Cannot initialize \(R.self) from invalid String value \(text)"))
        }
        return value
    }

    func int(_ key: String) throws -> Int64 {
        let v = try value(key)
        guard case .int(let i) = v else { throw Self.mismatch(Int64.self, v, [WirePathKey(key)]) }
        return i
    }

    func bool(_ key: String) throws -> Bool {
        let v = try value(key)
        guard case .bool(let b) = v else { throw Self.mismatch(Bool.self, v, [WirePathKey(key)]) }
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
        guard case .array(let elements) = v else { throw Self.mismatch([Any].self, v, [WirePathKey(key)]) }
        return try elements.enumerated().map { i, e in
            guard case .string(let s) = e else {
                throw Self.mismatch(String.self, e, [WirePathKey(key), WirePathKey(index: i)])
            }
            return s
        }
    }

    func read<T: WireReadable>(_ type: T.Type, _ key: String) throws -> T {
        let v = try value(key)
        return try located(WirePathKey(key)) { try T(wire: v, at: []) }
    }

    /// An array of `T`s under `key`.
    func array<T: WireReadable>(_ type: T.Type, _ key: String) throws -> [T] {
        let v = try value(key)
        guard case .array(let elements) = v else { throw Self.mismatch([Any].self, v, [WirePathKey(key)]) }
        return try located(WirePathKey(key)) {
            var out: [T] = []
            out.reserveCapacity(elements.count)
            for (i, e) in elements.enumerated() {
                out.append(try located(WirePathKey(index: i)) { try T(wire: e, at: []) })
            }
            return out
        }
    }
}

extension Stamp: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        guard case .string(let text) = wire else { throw WireObject.mismatch(String.self, wire, path) }
        // Leaf: its path is the one given.
        guard let stamp = Stamp(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "not a stamp: \(text)"))
        }
        self = stamp
    }
}

extension Register: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        self = try reading(at: path) {
            let o = try WireObject(wire)
            return Register(try o.value("v"), at: try o.read(Stamp.self, "s"))
        }
    }
}

extension TagSet: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        self = try reading(at: path) {
            let o = try WireObject(wire)
            var added: [String: Set<Stamp>] = [:]
            if o.contains("added") {
                let a = try located(WirePathKey("added")) { try WireObject(try o.value("added")) }
                try located(WirePathKey("added")) {
                    for (tag, dots) in a.members {
                        guard case .array(let stamps) = dots else {
                            throw WireObject.mismatch([Any].self, dots, [WirePathKey(tag)])
                        }
                        var set = Set<Stamp>(minimumCapacity: stamps.count)
                        for (i, s) in stamps.enumerated() {
                            set.insert(
                                try located(WirePathKey(tag)) {
                                    try located(WirePathKey(index: i)) { try Stamp(wire: s, at: []) }
                                })
                        }
                        added[tag] = set
                    }
                }
            }
            let removed = o.contains("removed") ? Set(try o.array(Stamp.self, "removed")) : []
            return TagSet(added: added, removed: removed)
        }
    }
}

extension Record: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        self = try reading(at: path) {
            let o = try WireObject(wire)
            let id = try o.string("id")
            let kind = try o.raw(RecordKind.self, "kind")
            var fields: [String: Register] = [:]
            if o.contains("fields") {
                try located(WirePathKey("fields")) {
                    let f = try WireObject(try o.value("fields"))
                    fields.reserveCapacity(f.members.count)
                    for (name, register) in f.members {
                        fields[name] = try located(WirePathKey(name)) { try Register(wire: register, at: []) }
                    }
                }
            }
            return Record(
                id: id, kind: kind, fields: fields,
                tags: o.contains("tags") ? try o.read(TagSet.self, "tags") : TagSet(),
                deleted: o.contains("deleted") ? try o.read(Stamp.self, "deleted") : nil)
        }
    }
}

extension Mutation: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        self = try reading(at: path) {
            let o = try WireObject(wire)
            return Mutation(
                id: try o.string("id"), replica: try o.string("replica"), delta: try o.read(Record.self, "delta"),
                base: o.contains("base") ? try o.int("base") : 0)
        }
    }
}

extension Wire.PushRequest: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        self = try reading(at: path) {
            let o = try WireObject(wire)
            return Wire.PushRequest(
                mutations: try o.array(Mutation.self, "mutations"),
                epoch: o.contains("epoch") ? try o.string("epoch") : nil)
        }
    }
}

extension Wire.MutationResult: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        self = try reading(at: path) {
            let o = try WireObject(wire)
            // In declaration order, as the synthesized decoder reads them (the first problem is named).
            let id = try o.string("id")
            let status = try o.raw(Status.self, "status")
            return Wire.MutationResult(
                id: id, status: status, seq: try o.int("seq"), reason: try o.optional("reason", o.string),
                current: try o.optional("current") { try o.read(Record.self, $0) },
                after: try o.optional("after", o.int))
        }
    }
}

extension Wire.PushResponse: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        self = try reading(at: path) {
            Wire.PushResponse(results: try WireObject(wire).array(Wire.MutationResult.self, "results"))
        }
    }
}

extension Wire.PulledRecord: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        self = try reading(at: path) {
            let o = try WireObject(wire)
            return Wire.PulledRecord(seq: try o.int("seq"), record: try o.read(Record.self, "record"))
        }
    }
}

extension Wire.PullResponse: WireReadable {
    public init(wire: JSONValue, at path: [any CodingKey]) throws {
        self = try reading(at: path) {
            let o = try WireObject(wire)
            let records = try o.array(Wire.PulledRecord.self, "records")
            let cursor = try o.string("cursor")
            let more = try o.bool("more")
            let acked = try o.strings("acked")
            let teams = try o.optional("teams", o.strings) ?? []
            let total = try o.optional("total", o.int)
            guard total.map({ Int(exactly: $0) != nil }) ?? true else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: [WirePathKey("total")], debugDescription: "Number does not fit in Int."))
            }
            return Wire.PullResponse(
                records: records, cursor: cursor, more: more, acked: acked, teams: teams, total: total.map { Int($0) })
        }
    }
}
