import BriefSyncModel
import Foundation
import Testing

/// A pull page read with each record's JSON text as the server sent it
/// (`Wire.PullResponse.decodeKeepingStates`), which a replica stores instead of writing the
/// decoded record out again.
@Suite struct PulledStatesTests {
    /// Pages of 0 to 4 seeded random records, written from stored states as the server writes
    /// them: the page reads as `WireJSON` reads it, and each text is the stored state.
    @Test(arguments: WireJSONTests.seeds) func eachRecordsTextIsTheStateStored(seed: UInt64) throws {
        var g = WireJSONTests.Strings(rng: SeededGen(seed: seed))
        for count in 0..<5 {
            let stored = try (0..<count).map {
                Wire.StoredRecord(seq: Int64($0 * 3 + 1), state: try WireJSON.string(g.record()))
            }
            let bytes = Wire.PullResponse.bytes(
                stored: stored, cursor: g.next(), more: true, acked: [g.next()], teams: [g.next()], total: nil)
            let (page, states) = try Wire.PullResponse.decodeKeepingStates(bytes)
            #expect(page == (try WireJSON.decode(Wire.PullResponse.self, from: Data(bytes))), "seed \(seed)")
            #expect(states == stored.map(\.state), "seed \(seed), \(count) records")
        }
    }

    /// Whatever the spacing and member order, the text kept is the one sent, and it reads as
    /// the record decoded from the page.
    @Test func aTextIsKeptAsSent() throws {
        let record =
            #"{ "tags" : {"removed":[],"added":{}}, "kind":"annotation","id":"n1","fields":{"note":{"v":"hi","s":"000000000000001-0000000000-r"}} }"#
        let page = #"{"more":false,"records":[{"seq":5,"record":"# + record + #"}],"cursor":"e.5","acked":[]}"#
        let (decoded, states) = try Wire.PullResponse.decodeKeepingStates(Array(page.utf8))
        #expect(states == [record])
        #expect(decoded.records.map(\.record) == [try WireJSON.decode(Record.self, from: record)])
        #expect(decoded.records.first?.record[Annotation.Field.note]?.string == "hi")
    }

    /// Members no decoder reads may hold objects at the records' depth: each record still gets
    /// its own text, never another object's.
    @Test(arguments: [
        #"{"x":[{"y":{}}],"records":[R],"cursor":"c","more":false,"acked":[]}"#,
        #"{"records":[{"junk":{},"record":R0,"seq":1},R],"cursor":"c","more":false,"acked":[]}"#,
    ])
    func objectsOutsideTheRecordsLeaveTheTextsAlone(template: String) throws {
        let record = #"{"fields":{},"id":"x","kind":"briefing","tags":{"added":{},"removed":[]}}"#
        let text = template.replacingOccurrences(of: "R0", with: record).replacingOccurrences(
            of: "R", with: #"{"record":\#(record),"seq":2}"#)
        let (page, states) = try Wire.PullResponse.decodeKeepingStates(Array(text.utf8))
        #expect(page.records.map(\.record.id).allSatisfy { $0 == "x" })
        #expect(states == Array(repeating: record, count: page.records.count))
        #expect(page.records.count == (template.contains("R0") ? 2 : 1))
    }

    /// Damaged pages are refused as `WireJSON` refuses them.
    @Test func aDamagedPageIsRefused() {
        for text in [#"{"records":[{"record":{"id":"x"}"#, #"{"records":[{"record":[],"seq":1}],"#, "[]"] {
            #expect(throws: DecodingError.self) { try Wire.PullResponse.decodeKeepingStates(Array(text.utf8)) }
        }
    }
}
