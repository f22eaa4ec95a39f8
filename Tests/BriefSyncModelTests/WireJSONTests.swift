import BriefSyncModel
import Foundation
import Testing

/// The direct JSON writer and parser against Foundation's encoder and decoder, on seeded random
/// records whose strings hold what JSON escapes (quotes, backslashes, every control character),
/// what it must not (slashes, DEL, U+2028), non-ASCII, emoji and decomposed accents.
@Suite struct WireJSONTests {
    static let seeds = Array(UInt64(1)...UInt64(25))

    /// Strings built from pieces chosen to cover every escaping rule and the key order.
    struct Strings {
        var rng: SeededGen
        /// Stamps whose time has no 15-digit form too (negative, too large): they write, but do
        /// not read back.
        var wildStamps = false
        static let pieces: [String] =
            ["a", "Z", "_", "10", "9", "/", "\\", "\"", "é", "e\u{301}", "ß", "😀", "\u{7F}", "\u{2028}", "ﬃ", " "]
            + (0..<32).map { String(UnicodeScalar(UInt8($0))) }

        mutating func next() -> String {
            (0..<Int.random(in: 0...6, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng)! }.joined()
        }

        mutating func stamp() -> Stamp {
            Stamp(
                physical: wildStamps && Int.random(in: 0...9, using: &rng) == 0
                    ? [-5, 0, 1_000_000_000_000_000, Int64.max].randomElement(using: &rng)!
                    : Int64.random(in: 0...999_999_999_999_999, using: &rng),
                counter: UInt32.random(in: 0...UInt32.max, using: &rng), replica: "r" + next())
        }

        mutating func value(depth: Int = 0) -> JSONValue {
            switch Int.random(in: 0...(depth > 3 ? 3 : 5), using: &rng) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &rng))
            case 2:
                return .int(
                    [Int64.min, Int64.max, 0, -1, Int64.random(in: Int64.min...Int64.max, using: &rng)].randomElement(
                        using: &rng)!)
            case 3: return .string(next())
            case 4: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in value(depth: depth + 1) })
            default:
                var o: [String: JSONValue] = [:]
                for _ in 0..<Int.random(in: 0...4, using: &rng) { o[next()] = value(depth: depth + 1) }
                return .object(o)
            }
        }

        mutating func record() -> Record {
            var r = Record(id: next(), kind: RecordKind.allCases.randomElement(using: &rng)!)
            for _ in 0..<Int.random(in: 0...6, using: &rng) { r.set(next(), value(), at: stamp()) }
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                let tag = next()
                for _ in 0...Int.random(in: 0...2, using: &rng) { r.tags.add(tag, at: stamp()) }
                if Bool.random(using: &rng) { r.tags.remove(tag, observed: r.tags) }
            }
            if Bool.random(using: &rng) { r.deleted = stamp() }
            return r
        }
    }

    static func foundation(_ value: some Encodable) throws -> [UInt8] { Array(try WireJSON.foundationData(value)) }

    @Test(arguments: seeds) func theWriterMakesFoundationsBytes(seed: UInt64) throws {
        var g = Strings(rng: SeededGen(seed: seed), wildStamps: true)
        for _ in 0..<40 {
            let record = g.record()
            let mine = WireJSON.bytes(record)
            let theirs = try Self.foundation(record)
            #expect(mine == theirs, "record, seed \(seed)")
            let m = Mutation(
                id: g.next(), replica: g.next(), delta: record, base: Int64.random(in: 0...Int64.max, using: &g.rng))
            let push = Wire.PushRequest(mutations: [m, m], epoch: Bool.random(using: &g.rng) ? g.next() : nil)
            #expect(WireJSON.bytes(push) == (try Self.foundation(push)), "push, seed \(seed)")
            let results = Wire.PushResponse(results: [
                .init(id: g.next(), status: .applied, seq: 7),
                .init(id: g.next(), status: .applied, seq: 9, after: Int64.random(in: 0...8, using: &g.rng)),
                .init(id: g.next(), status: .rejected, seq: 0, reason: g.next(), current: record),
            ])
            #expect(WireJSON.bytes(results) == (try Self.foundation(results)), "push answer, seed \(seed)")
            let pull = Wire.PullResponse(
                records: [.init(seq: 3, record: record)], cursor: g.next(), more: Bool.random(using: &g.rng),
                acked: [g.next(), g.next()], teams: [g.next()], total: Bool.random(using: &g.rng) ? 12 : nil)
            #expect(WireJSON.bytes(pull) == (try Self.foundation(pull)), "pull answer, seed \(seed)")
        }
    }

    /// A page written from stored states is the page written from the records (0 to 4 of them).
    @Test(arguments: seeds) func aPageOfStoredStatesIsThePageOfItsRecords(seed: UInt64) throws {
        var g = Strings(rng: SeededGen(seed: seed))
        for count in 0..<5 {
            let records = (0..<count).map { Wire.PulledRecord(seq: Int64($0 * 7 + 1), record: g.record()) }
            let page = Wire.PullResponse(
                records: records, cursor: g.next(), more: Bool.random(using: &g.rng), acked: [g.next()],
                teams: [g.next(), g.next()], total: Bool.random(using: &g.rng) ? count : nil)
            let stored = try records.map { Wire.StoredRecord(seq: $0.seq, state: try WireJSON.string($0.record)) }
            let bytes = Wire.PullResponse.bytes(
                stored: stored, cursor: page.cursor, more: page.more, acked: page.acked, teams: page.teams,
                total: page.total)
            #expect(bytes == WireJSON.bytes(page), "seed \(seed), \(count) records")
            #expect(try stored.map { try $0.decoded() } == records, "seed \(seed)")
        }
    }

    /// `WireJSON.data` takes the direct path for these types and gives the same bytes either way.
    @Test func dataAndStringUseTheWriter() throws {
        var g = Strings(rng: SeededGen(seed: 99))
        let record = g.record()
        #expect(Array(try WireJSON.data(record)) == (try Self.foundation(record)))
        #expect(Array(try WireJSON.string(record).utf8) == (try Self.foundation(record)))
    }

    /// Foundation's bytes parse back to the same value, and to what `JSONDecoder` makes of them.
    @Test(arguments: seeds) func theParserReadsWhatFoundationWrites(seed: UInt64) throws {
        var g = Strings(rng: SeededGen(seed: seed))
        for _ in 0..<60 {
            let value = g.value()
            let bytes = try Self.foundation(value)
            let parsed = try JSONValue(parsing: bytes)
            #expect(parsed == value, "seed \(seed)")
            #expect(parsed == (try JSONDecoder().decode(JSONValue.self, from: Data(bytes))), "seed \(seed)")
        }
    }

    /// Damaged documents: the parser never traps, and whatever it accepts `JSONDecoder` accepts
    /// as the same value (it refuses more: duplicate keys, fractions).
    @Test(arguments: seeds) func damagedDocumentsAreRefusedOrReadAsFoundationReadsThem(seed: UInt64) throws {
        var g = Strings(rng: SeededGen(seed: seed))
        for _ in 0..<200 {
            var bytes = try Self.foundation(g.value())
            Self.damageBytes(&bytes, &g)
            guard let ours = try? JSONValue(parsing: bytes) else { continue }
            let theirs = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
            #expect(ours == theirs, "seed \(seed): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
    }

    @Test func escapesNumbersAndWhitespace() throws {
        let text =
            #" { "a\u00e9\ud83d\ude00\/\b\f\n\r\t\"\\" : [ 1.0, -0, 1E2, -9223372036854775808, true, false, null, {} ] } "#
        #expect(
            try JSONValue(parsing: Array(text.utf8))
                == .object([
                    "aé😀/\u{8}\u{C}\n\r\t\"\\": .array([
                        .int(1), .int(0), .int(100), .int(.min), .bool(true), .bool(false), .null, .object([:]),
                    ])
                ]))
    }

    @Test(arguments: [
        ("", "ends too early"), ("[1,]", "unexpected character"), ("01", "text after"), ("[1 2]", "expected ','"),
        (#"{"a":1,"a":2}"#, "appears twice"), (#""\ud800""#, "without its low half"), (#""\udc00""#, "low surrogate"),
        ("\"a\u{1}\"", "control character"), ("1.5", "whole number"), ("1e400", "whole number"),
        ("9223372036854775808", "whole number"), (#""\x""#, "unknown escape"), ("[[[[1]]]]", "nested more than 3"),
        ("tru", "unexpected word"), ("{\"a\" 1}", "expected ':'"), ("[\"a", "ends inside a string"),
    ]) func malformedDocumentsAreRefusedWithTheReason(text: String, reason: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONValue(parsing: Array(text.utf8), maxDepth: 3) }
        do {
            _ = try JSONValue(parsing: Array(text.utf8), maxDepth: 3)
        } catch {
            #expect(error.reason.contains(reason), "\(text): \(error)")
        }
    }

    @Test func invalidUTF8IsRefused() throws {
        #expect(throws: JSONParser.Failure.self) { try JSONValue(parsing: [0x22, 0xFF, 0x22]) }
        #expect(throws: JSONParser.Failure.self) { try JSONValue(parsing: [0x22, 0xED, 0xA0, 0x80, 0x22]) }
        // A truncated four-byte sequence (repaired as one U+FFFD of three bytes: same length),
        // one after an escape, and valid non-ASCII either side of them.
        #expect(throws: JSONParser.Failure.self) { try JSONValue(parsing: [0x22, 0xF0, 0x90, 0x80, 0x22]) }
        #expect(throws: JSONParser.Failure.self) { try JSONValue(parsing: [0x22, 0x5C, 0x6E, 0xC3, 0x22]) }
        #expect(try JSONValue(parsing: Array("\"é\\n😀\u{FFFD}\"".utf8)) == .string("é\n😀\u{FFFD}"))
    }

    /// Members are checked for duplicates per object, at every depth, and equal keys in
    /// different objects are not duplicates.
    @Test func duplicateKeysAreFoundInTheirOwnObject() throws {
        let fine = #"{"a":{"x":1,"y":{"x":2}},"x":[{"x":3},{"x":4}],"y":{}}"#
        #expect(
            try JSONValue(parsing: Array(fine.utf8))
                == .object([
                    "a": .object(["x": .int(1), "y": .object(["x": .int(2)])]),
                    "x": .array([.object(["x": .int(3)]), .object(["x": .int(4)])]), "y": .object([:]),
                ]))
        for text in [#"{"a":{"x":1,"x":2}}"#, #"{"a":{"x":1},"b":2,"a":3}"#, #"[{"k":[{"q":1,"q":1}]}]"#] {
            #expect(throws: JSONParser.Failure.self) { try JSONValue(parsing: Array(text.utf8)) }
        }
    }

    /// Removes, replaces or inserts one to three bytes anywhere, from an alphabet of JSON's
    /// punctuation, escapes, digits, literals' letters and bytes that are no UTF-8 alone.
    static func damageBytes(_ bytes: inout [UInt8], _ g: inout Strings) {
        let alphabet = Array(#"{}[]:,"\u0123456789abcdefE.-+ tnrlsv"#.utf8) + [0x00, 0x0A, 0xC3, 0xA9, 0xFF, 0xED]
        for _ in 0...Int.random(in: 0...2, using: &g.rng) {
            let i = Int.random(in: 0...bytes.count, using: &g.rng)
            switch Int.random(in: 0...2, using: &g.rng) {
            case 0 where i < bytes.count: bytes.remove(at: i)
            case 1 where i < bytes.count: bytes[i] = alphabet.randomElement(using: &g.rng)!
            default: bytes.insert(alphabet.randomElement(using: &g.rng)!, at: i)
            }
        }
    }

    /// Replaces one random node of a value with another random value.
    static func damage(_ v: JSONValue, _ g: inout Strings) -> JSONValue {
        switch v {
        case .object(var o) where !o.isEmpty && Int.random(in: 0...3, using: &g.rng) > 0:
            let key = o.keys.sorted().randomElement(using: &g.rng)!
            if Int.random(in: 0...5, using: &g.rng) == 0 { o[key] = nil } else { o[key] = damage(o[key]!, &g) }
            return .object(o)
        case .array(var a) where !a.isEmpty && Int.random(in: 0...3, using: &g.rng) > 0:
            let i = Int.random(in: 0..<a.count, using: &g.rng)
            a[i] = damage(a[i], &g)
            return .array(a)
        default:
            return g.value(depth: 3)
        }
    }

    /// The kind of a decoding error and its path, cut after a dictionary (`fields`, `added`):
    /// which of two bad members of one dictionary is named first depends on hash order.
    static func refusalPlace(_ error: any Error) -> String {
        guard let e = error as? DecodingError else { return "not a DecodingError: \(error)" }
        var path: [String]
        switch e {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            path = c.codingPath.map(\.stringValue)
        case .keyNotFound(let key, let c): path = c.codingPath.map(\.stringValue) + [key.stringValue]
        @unknown default: return "?"
        }
        if let i = path.firstIndex(where: { $0 == "fields" || $0 == "added" }) { path = Array(path[...i]) }
        return String("\(e)".prefix(12)) + " at " + path.joined(separator: ".")
    }

    /// A push body read directly is what `JSONDecoder` reads; a damaged one is refused by both,
    /// at the same place and for the same kind of reason.
    @Test(arguments: seeds) func pushBodiesReadDirectlyAsTheDecoderReadsThem(seed: UInt64) throws {
        var g = Strings(rng: SeededGen(seed: seed))
        for _ in 0..<40 {
            let push = Wire.PushRequest(
                mutations: (0..<Int.random(in: 0...3, using: &g.rng)).map { _ in
                    Mutation(
                        id: g.next(), replica: g.next(), delta: g.record(), base: Int64.random(in: 0...9, using: &g.rng)
                    )
                }, epoch: Bool.random(using: &g.rng) ? g.next() : nil)
            let value = try JSONValue(parsing: WireJSON.bytes(push))
            #expect(try Wire.PushRequest(wire: value, at: []) == push, "seed \(seed)")
            let damaged = Self.damage(value, &g)
            let bytes = Data(WireJSON.bytes(damaged))
            Self.compare(
                Result { try Wire.PushRequest(wire: damaged, at: []) },
                Result { try JSONDecoder().decode(Wire.PushRequest.self, from: bytes) }, seed, bytes)
        }
    }

    /// A mutation written around its delta's earlier JSON (what a push stores) is byte for byte
    /// the mutation written whole, and what `JSONEncoder` makes of it.
    @Test(arguments: seeds) func aMutationAroundItsWrittenDeltaIsTheMutationWritten(seed: UInt64) throws {
        var g = Strings(rng: SeededGen(seed: seed))
        for _ in 0..<40 {
            let m = Mutation(
                id: g.next(), replica: g.next(), delta: g.record(), base: Int64.random(in: 0...9, using: &g.rng))
            var writer = JSONWriter()
            m.write(to: &writer, deltaJSON: WireJSON.bytes(m.delta))
            #expect(writer.bytes == WireJSON.bytes(m), "seed \(seed)")
            #expect(Data(writer.bytes) == (try WireJSON.foundationData(m)), "seed \(seed)")
        }
    }

    /// The pull and push answers a client reads, directly and through `JSONDecoder`, whole and damaged.
    @Test(arguments: seeds) func answersReadDirectlyAsTheDecoderReadsThem(seed: UInt64) throws {
        var g = Strings(rng: SeededGen(seed: seed))
        for _ in 0..<30 {
            let pull = Wire.PullResponse(
                records: (0..<Int.random(in: 0...2, using: &g.rng)).map { _ in .init(seq: 4, record: g.record()) },
                cursor: g.next(), more: Bool.random(using: &g.rng), acked: [g.next()], teams: [g.next()],
                total: Bool.random(using: &g.rng) ? 9 : nil)
            let push = Wire.PushResponse(results: [
                .init(id: g.next(), status: .applied, seq: 7),
                .init(id: g.next(), status: .applied, seq: 8, after: 7),
                .init(id: g.next(), status: .rejected, seq: 0, reason: g.next(), current: g.record()),
            ])
            #expect(try WireJSON.decode(Wire.PullResponse.self, from: Data(WireJSON.bytes(pull))) == pull)
            #expect(try WireJSON.decode(Wire.PushResponse.self, from: Data(WireJSON.bytes(push))) == push)
            for value in [try JSONValue(parsing: WireJSON.bytes(pull)), try JSONValue(parsing: WireJSON.bytes(push))] {
                let damaged = Self.damage(value, &g)
                let bytes = Data(WireJSON.bytes(damaged))
                if case .object(let o) = value, o["cursor"] != nil {
                    Self.compare(
                        Result { try Wire.PullResponse(wire: damaged, at: []) },
                        Result { try JSONDecoder().decode(Wire.PullResponse.self, from: bytes) }, seed, bytes)
                } else {
                    Self.compare(
                        Result { try Wire.PushResponse(wire: damaged, at: []) },
                        Result { try JSONDecoder().decode(Wire.PushResponse.self, from: bytes) }, seed, bytes)
                }
            }
        }
    }

    static func compare<T: Equatable>(
        _ ours: Result<T, any Error>, _ theirs: Result<T, any Error>, _ seed: UInt64, _ bytes: Data
    ) {
        switch (ours, theirs) {
        case (.success(let a), .success(let b)): #expect(a == b, "seed \(seed)")
        case (.failure(let a), .failure(let b)):
            #expect(Self.refusalPlace(a) == Self.refusalPlace(b), "seed \(seed)")
        default:
            Issue.record("seed \(seed): one read and the other refused \(String(decoding: bytes, as: UTF8.self))")
        }
    }

    /// The stamp's text, built as bytes now, is the padded form it always was.
    @Test(arguments: seeds) func stampTextIsUnchanged(seed: UInt64) {
        var g = Strings(rng: SeededGen(seed: seed), wildStamps: true)
        for _ in 0..<100 {
            let s = g.stamp()
            let p = String(s.physical)
            let c = String(s.counter)
            let old =
                String(repeating: "0", count: max(0, 15 - p.count)) + p + "-"
                + String(repeating: "0", count: max(0, 10 - c.count)) + c + "-" + s.replica
            #expect(s.description == old, "seed \(seed)")
            if s.physical >= 0 && s.physical < 1_000_000_000_000_000 { #expect(Stamp(s.description) == s) }
        }
    }
}
