import BriefSyncModel

/// The fuzz targets: each takes arbitrary bytes, as a hostile peer or file would send them, and
/// must neither trap nor break the properties it checks. libFuzzer drives them through
/// `brief-fuzz` (see `docs/fuzzing.md`); the corpus in the repository replays in `swift test`.
public enum FuzzTargets {
    public static let names = ["push", "pull", "stamp", "import", "anchor", "json"]

    /// Runs target `name` on `data`; traps (on purpose, via `precondition`) only when a checked
    /// property fails, so the fuzzer reports it.
    public static func run(_ name: String, _ data: [UInt8]) {
        switch name {
        case "push": push(data)
        case "pull": pull(data)
        case "stamp": stamp(data)
        case "import": importText(data)
        case "anchor": anchor(data)
        case "json": json(data)
        default: preconditionFailure("unknown fuzz target \(name); one of \(names.joined(separator: ", "))")
        }
    }

    static let wall: Int64 = 1_750_000_000_000

    /// A push body: shape scan first, then the decoder, then what the server does with each
    /// mutation's stamps and ids, merging, and an encode/decode round trip.
    static func push(_ data: [UInt8]) {
        guard Wire.JSONScan.scan(data, maxDepth: 32).depth <= 32,
            let request = try? WireJSON.decode(Wire.PushRequest.self, from: String(decoding: data, as: UTF8.self))
        else { return }
        for m in request.mutations {
            _ = Wire.Validation.identifierProblem(m.id, what: "id")
            _ = Wire.Validation.identifierProblem(m.delta.id, what: "record")
            var clock = HybridLogicalClock(replica: "server")
            for s in m.delta.allStamps {
                if Wire.Validation.stampProblem(s) == nil { try? clock.receive(s, wall: wall) }
            }
            let merged = Record.merge(m.delta, m.delta)
            precondition(merged == Record.merge(merged, m.delta), "merge is not idempotent")
            if let again = try? WireJSON.decode(Mutation.self, from: WireJSON.data(m)) {
                precondition(again == m, "a mutation does not survive an encode/decode round trip")
            }
            _ = m.delta.isDeleted
            _ = Briefing(record: m.delta).map { $0.sections.count }
            _ = Annotation(record: m.delta).map { $0.anchor }
            _ = Conflict(record: m.delta)
        }
    }

    /// A pull page: decode, then merge every pair of records (commutative) and feed their
    /// stamps to a replica's clock.
    static func pull(_ data: [UInt8]) {
        guard Wire.JSONScan.scan(data, maxDepth: 32).depth <= 32,
            let page = try? WireJSON.decode(Wire.PullResponse.self, from: String(decoding: data, as: UTF8.self))
        else { return }
        var clock = HybridLogicalClock(replica: "r")
        let records = page.records.prefix(16).map(\.record)
        for a in records {
            try? clock.receive(a.latestStamp, wall: wall)
            for b in records where a.id == b.id && a.kind == b.kind {
                precondition(Record.merge(a, b) == Record.merge(b, a), "merge is not commutative")
            }
            if let briefing = Briefing(record: a) {
                for annotation in records.compactMap(Annotation.init(record:)) {
                    if let anchor = annotation.anchor, let section = briefing.sections.first {
                        _ = TextQuote.locate(anchor, in: section.text)
                    }
                }
            }
        }
    }

    /// Any bytes through the wire parser: what it accepts writes back to JSON that parses to the
    /// same value and is byte-stable, and `JSONDecoder` reads it as the same value too (the parser
    /// refuses more — duplicate keys, fractions — never less).
    static func json(_ data: [UInt8]) {
        guard let value = try? JSONParser.parse(data, maxDepth: 32) else { return }
        let written = WireJSON.bytes(value)
        guard let again = try? JSONParser.parse(written, maxDepth: 32) else {
            preconditionFailure("the writer's output does not parse")
        }
        precondition(again == value, "a value does not survive writing and parsing")
        precondition(WireJSON.bytes(again) == written, "writing is not stable")
        let theirs = try? WireJSON.foundationDecode(JSONValue.self, from: data)
        precondition(theirs == value, "JSONDecoder reads what the parser accepted differently")
    }

    /// A stamp's text form: parse, print, parse again; the clock never traps on what parses.
    static func stamp(_ data: [UInt8]) {
        let text = String(decoding: data, as: UTF8.self)
        guard let s = Stamp(text) else { return }
        precondition(Stamp(s.description) == s, "a stamp does not survive printing")
        var clock = HybridLogicalClock(replica: "r", last: s)
        _ = clock.tick(wall: wall)
        try? clock.receive(s, wall: s.physical)
        _ = clock.tick(wall: 0)
    }

    /// A document to import: parse it as `brief import` would.
    static func importText(_ data: [UInt8]) {
        guard let text = String(validating: data, as: UTF8.self),
            let parsed = try? BriefingParser().parse(text, title: nil)
        else { return }
        let keys = parsed.sections.map(\.key)
        precondition(Set(keys).count == keys.count, "two sections share a key")
        let b = Briefing(id: "f", title: parsed.title, team: nil, tags: [], sections: parsed.sections)
        precondition(Briefing(record: b.record(at: Stamp(physical: 1, counter: 0, replica: "r"))) != nil)
    }

    /// Anchoring: the first byte splits the rest into a text and a quote; locate the quote and
    /// its anchor, with positions taken from the input too.
    static func anchor(_ data: [UInt8]) {
        guard data.count >= 3 else { return }
        let cut = min(Int(data[0]), data.count - 1)
        let text = String(decoding: data[1..<max(1, cut)], as: UTF8.self)
        let quote = String(decoding: data[max(1, cut)...], as: UTF8.self)
        let start = Int(Int8(bitPattern: data[1])) * 7
        let end = Int(Int8(bitPattern: data[2])) * 5
        let anchor = Anchor(section: "s", exact: quote, prefix: "", suffix: "", start: start, end: end)
        if let r = TextQuote.locate(anchor, in: text) {
            precondition(r.lowerBound >= 0 && r.upperBound <= text.unicodeScalars.count, "a range outside the text")
            _ = Anchor(section: "s", text: text, range: r)
        }
        for r in TextQuote.occurrences(of: quote, in: text).prefix(4) { _ = Anchor(section: "s", text: text, range: r) }
        _ = TextQuote.closestPassage(to: quote, in: text)
        // Re-anchoring and folded matching, reported in real positions.
        let sections = [Section(key: "s", heading: "", text: text), Section(key: "t", heading: "T", text: quote)]
        let placement = Anchoring.place(anchor, in: sections)
        if let r = placement.range, let key = placement.section {
            let length = sections.first { $0.key == key }!.text.unicodeScalars.count
            precondition(r.lowerBound >= 0 && r.upperBound <= length, "a placement outside its section")
        }
        for r in Anchoring.matches(of: quote, in: text) {
            precondition(r.upperBound <= text.unicodeScalars.count, "a folded match outside the text")
        }
        if text.count * max(1, quote.count) < 200_000 { _ = Anchoring.closest(to: quote, in: text) }
    }
}
