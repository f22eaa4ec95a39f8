import BriefSyncModel
import Foundation
import Testing

/// A pull page read straight into typed records (`Wire.PullResponse.decodeKeepingStates`,
/// `PullPageReader`) against the reading it replaced — `JSONParser` into a tree, then
/// `Wire.PullResponse(wire:)` — on whole, reshaped and damaged pages: both refuse, or both
/// read the same page; and each record's text is the one sent.
@Suite struct PullPageReaderTests {
    typealias Strings = WireJSONTests.Strings

    /// The reading the reader replaced.
    static func reference(_ bytes: [UInt8]) throws -> Wire.PullResponse {
        try Wire.PullResponse(wire: try JSONParser.parse(bytes, maxDepth: 512), at: [])
    }

    /// Both refuse, or both read the same page; `true` when both read it.
    @discardableResult
    static func compare(_ bytes: [UInt8], _ note: @autoclosure () -> String) -> Bool {
        let ours = Result { try Wire.PullResponse.decodeKeepingStates(bytes).page }
        let theirs = Result { try reference(bytes) }
        switch (ours, theirs) {
        case (.success(let a), .success(let b)): #expect(a == b, "\(note())")
        case (.failure, .failure): return false
        case (.success, .failure(let e)):
            Issue.record("\(note()): read, but the tree refused (\(e)): \(String(decoding: bytes, as: UTF8.self))")
        case (.failure(let e), .success):
            Issue.record("\(note()): refused (\(e)), but the tree read: \(String(decoding: bytes, as: UTF8.self))")
        }
        return true
    }

    static func page(_ g: inout Strings, records: Int) -> Wire.PullResponse {
        Wire.PullResponse(
            records: (0..<records).map { Wire.PulledRecord(seq: Int64($0 * 5 + 2), record: g.record()) },
            cursor: g.next(), more: Bool.random(using: &g.rng), acked: (0..<2).map { _ in g.next() },
            teams: Bool.random(using: &g.rng) ? [g.next()] : [], total: Bool.random(using: &g.rng) ? 12 : nil)
    }

    /// Seeded random pages, as the server writes them from stored states and as `WireJSON`
    /// writes them: the page read is the page written, each text the state stored.
    @Test(arguments: WireJSONTests.seeds) func wholePagesReadAsWritten(seed: UInt64) throws {
        var g = Strings(rng: SeededGen(seed: seed))
        for count in 0..<6 {
            let page = Self.page(&g, records: count)
            let stored = try page.records.map { Wire.StoredRecord(seq: $0.seq, state: try WireJSON.string($0.record)) }
            let bytes = Wire.PullResponse.bytes(
                stored: stored, cursor: page.cursor, more: page.more, acked: page.acked, teams: page.teams,
                total: page.total)
            let (read, states) = try Wire.PullResponse.decodeKeepingStates(bytes)
            #expect(read == page, "seed \(seed)")
            #expect(states == stored.map(\.state), "seed \(seed)")
            #expect(try Wire.PullResponse.decodeKeepingStates(WireJSON.bytes(page)).page == page, "seed \(seed)")
        }
    }

    /// A node of the page replaced by another random value, one to three times: a member
    /// removed, a type changed, a stamp that is no stamp, a value where an object was.
    @Test(arguments: WireJSONTests.seeds) func reshapedPagesAreReadOrRefusedAsTheTreeDoes(seed: UInt64) throws {
        var g = Strings(rng: SeededGen(seed: seed))
        var read = 0
        for round in 0..<120 {
            var value = try JSONValue(
                parsing: WireJSON.bytes(Self.page(&g, records: Int.random(in: 0...3, using: &g.rng))))
            for _ in 0...Int.random(in: 0...2, using: &g.rng) { value = WireJSONTests.damage(value, &g) }
            if Self.compare(WireJSON.bytes(value), "seed \(seed), round \(round)") { read += 1 }
        }
        // Damage in members no reader knows, or a value replaced by one of its type, still reads.
        #expect(read > 0 && read < 120, "seed \(seed): \(read) of 120 read")
    }

    /// Bytes removed, replaced or inserted anywhere in a page's text.
    @Test(arguments: WireJSONTests.seeds) func damagedBytesAreReadOrRefusedAsTheTreeDoes(seed: UInt64) throws {
        var g = Strings(rng: SeededGen(seed: seed))
        var read = 0
        for round in 0..<150 {
            var bytes = WireJSON.bytes(Self.page(&g, records: Int.random(in: 1...2, using: &g.rng)))
            WireJSONTests.damageBytes(&bytes, &g)
            if Self.compare(bytes, "seed \(seed), round \(round)") { read += 1 }
        }
        #expect(read > 0 && read < 150, "seed \(seed): \(read) of 150 read")
    }

    /// Spacing everywhere, members in any order, escaped keys, members no reader knows (holding
    /// objects four deep) and `null` where a member is optional: the page the tree reads, and
    /// each text exactly the record's, whatever else sits at its depth.
    @Test func anyLayoutReadsAsTheTreeReadsIt() throws {
        let record =
            #"{ "tags" : {"removed":[ ],"added":{"x" : ["000000000000002-0000000000-r"]}, "z":{"q":[{}]}}, "k\u0069nd":"annotation","id":"n1","fields":{"note":{"s":"000000000000001-0000000000-r", "v":"hi","w":{"a":{}}}}, "more":{"a":{}} }"#
        let text = """
             { "x" : [ { "y" : { } } ] , "total" : null, "teams" : null,
              "records" : [ { "junk" : { "a" : [ {} ] }, "record" : \(record) , "seq" : 1.0E1 } ,
                {"seq":11,"record":{"id":"b","kind":"briefing"}} ],
              "cursor" : "e.11", "m\\u006Fre" : false, "acked" : [ "m1" ] }
            """
        let (page, states) = try Wire.PullResponse.decodeKeepingStates(Array(text.utf8))
        #expect(page == (try Self.reference(Array(text.utf8))))
        #expect(states == [record, #"{"id":"b","kind":"briefing"}"#])
        #expect(page.records.map(\.seq) == [10, 11])
        #expect(page.records[0].record[Annotation.Field.note]?.string == "hi")
        #expect(page.records[0].record.tags.elements == ["x"])
        #expect(page.teams == [] && page.total == nil && page.more == false)
    }

    /// A key twice in any object of the page is refused, as the parser refuses it.
    @Test(arguments: [
        #"{"records":[],"cursor":"c","more":false,"acked":[],"cursor":"d"}"#,
        #"{"records":[{"seq":1,"seq":2,"record":{"id":"a","kind":"briefing"}}],"cursor":"c","more":false,"acked":[]}"#,
        #"{"records":[{"seq":1,"record":{"id":"a","id":"b","kind":"briefing"}}],"cursor":"c","more":false,"acked":[]}"#,
        #"{"records":[{"seq":1,"record":{"id":"a","i\u0064":"b","kind":"briefing"}}],"cursor":"c","more":false,"acked":[]}"#,
        #"{"records":[{"seq":1,"record":{"id":"a","kind":"briefing","x":1,"x":1}}],"cursor":"c","more":false,"acked":[]}"#,
        #"{"records":[{"seq":1,"record":{"id":"a","kind":"briefing","fields":{"t":{"v":1,"s":"000000000000001-0000000000-r"},"t":{"v":2,"s":"000000000000001-0000000000-r"}}}}],"cursor":"c","more":false,"acked":[]}"#,
        #"{"records":[{"seq":1,"record":{"id":"a","kind":"briefing","fields":{"t":{"v":1,"v":2,"s":"000000000000001-0000000000-r"}}}}],"cursor":"c","more":false,"acked":[]}"#,
        #"{"records":[{"seq":1,"record":{"id":"a","kind":"briefing","tags":{"added":{"t":[],"t":[]}}}}],"cursor":"c","more":false,"acked":[]}"#,
        #"{"records":[{"seq":1,"record":{"id":"a","kind":"briefing","tags":{"removed":[],"removed":[]}}}],"cursor":"c","more":false,"acked":[]}"#,
        #"{"records":[{"seq":1,"record":{"id":"a","kind":"briefing","fields":{"t":{"v":{"a":1,"a":2},"s":"000000000000001-0000000000-r"}}}}],"cursor":"c","more":false,"acked":[]}"#,
    ]) func aKeyTwiceIsRefused(text: String) {
        #expect(throws: DecodingError.self) { try Wire.PullResponse.decodeKeepingStates(Array(text.utf8)) }
        #expect(throws: (any Error).self) { try Self.reference(Array(text.utf8)) }
    }

    /// `null` is read only for the page's optional members (and as a field's value); for any
    /// other member, or a missing one, the page is refused with what was wrong.
    @Test(arguments: [
        (#"{"id":"a","kind":"briefing","fields":null}"#, "expected an object for 'fields'"),
        (#"{"id":"a","kind":"briefing","tags":null}"#, "expected an object for 'tags'"),
        (#"{"id":"a","kind":"briefing","deleted":null}"#, "expected a string for 'deleted'"),
        (#"{"id":"a","kind":"briefing","deleted":"yesterday"}"#, "'deleted' is not a stamp"),
        (#"{"id":"a","kind":"memo"}"#, "'memo' is no kind of record"),
        (#"{"id":7,"kind":"briefing"}"#, "expected a string for 'id'"),
        (#"{"kind":"briefing"}"#, "no 'id'"),
        (#"{"id":"a","kind":"briefing","fields":{"t":{"v":1}}}"#, "no 's'"),
        (#"{"id":"a","kind":"briefing","fields":{"t":{"s":"000000000000001-0000000000-r"}}}"#, "no 'v'"),
        (#"{"id":"a","kind":"briefing","tags":{"added":{"t":null}}}"#, "expected an array for 't'"),
    ]) func aMemberOfTheWrongTypeIsRefusedWithWhatWasWrong(record: String, reason: String) throws {
        let bytes = Array(
            (#"{"records":[{"seq":1,"record":"# + record + #"}],"cursor":"c","more":false,"acked":[]}"#).utf8)
        #expect(throws: (any Error).self) { try Self.reference(bytes) }
        do {
            _ = try Wire.PullResponse.decodeKeepingStates(bytes)
            Issue.record("read: \(record)")
        } catch {
            #expect("\(error)".contains(reason), "\(error)")
        }
    }

    /// A field's value nested up to the page's limit is read; one level more is refused, by both.
    @Test func nestingIsBoundedAsTheParserBoundsIt() throws {
        // The field's value is read six deep (page, records, pulled record, record, fields,
        // register): its innermost array is 6 + levels deep, and the limit is 512.
        func page(levels: Int) -> [UInt8] {
            let value = String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
            return Array(
                (#"{"records":[{"seq":1,"record":{"id":"a","kind":"briefing","fields":{"t":{"v":"# + value
                    + #","s":"000000000000001-0000000000-r"}}}}],"cursor":"c","more":false,"acked":[]}"#).utf8)
        }
        #expect(
            try Wire.PullResponse.decodeKeepingStates(page(levels: 506)).page
                == (try Self.reference(page(levels: 506))))
        #expect(throws: DecodingError.self) { try Wire.PullResponse.decodeKeepingStates(page(levels: 507)) }
        #expect(throws: (any Error).self) { try Self.reference(page(levels: 507)) }
    }
}
