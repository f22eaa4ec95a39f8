import BriefSyncModel
import Testing

/// `Wire.EventStreamParser`: the subset of `text/event-stream` the server writes, split however
/// the bytes arrive, and bounded against a hostile server.
@Suite struct EventStreamParserTests {
    /// Everything fed one byte at a time, so no event depends on how reads split.
    func events(_ text: String) -> [Wire.ServerEvent] {
        var parser = Wire.EventStreamParser()
        return Array(text.utf8).flatMap { parser.feed([$0]) }
    }

    @Test func dataLinesJoinAndCommentsAndRetryAreSkipped() {
        let got = events(
            "retry: 2000\nevent: ready\ndata: {\"teams\":[]}\n\n: heartbeat\n\r\nevent: poke\r\ndata: a\r\ndata:b\r\n\r\n"
        )
        #expect(
            got == [
                Wire.ServerEvent(name: "ready", data: #"{"teams":[]}"#), Wire.ServerEvent(name: "poke", data: "a\nb"),
            ])
    }

    /// An event of many data lines past `maxEvent` is dropped whole, an overlong line alone, and
    /// the stream goes on with the next event.
    @Test func anOversizeEventOrLineIsDroppedAndTheStreamGoesOn() {
        var parser = Wire.EventStreamParser()
        let line = "data: " + String(repeating: "x", count: 60_000) + "\n"
        var got = parser.feed(Array(("event: poke\n" + String(repeating: line, count: 3) + "\n").utf8))
        #expect(got.isEmpty)
        got = parser.feed(
            Array(("data: " + String(repeating: "y", count: Wire.EventStreamParser.maxLine) + "\n\n").utf8))
        #expect(got.isEmpty)
        got = parser.feed(Array(("event: poke\n" + String(repeating: line, count: 2) + "\n").utf8))
        #expect(got.count == 1 && got.first?.data.utf8.count == 2 * 60_000 + 1)
        got = parser.feed(Array("event: poke\ndata: {\"team\":\"t\"}\n\n".utf8))
        #expect(got == [Wire.ServerEvent(name: "poke", data: #"{"team":"t"}"#)])
    }
}
