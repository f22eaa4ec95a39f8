import BriefSyncClient
import BriefSyncModel
import Foundation

/// `brief-bench decode`: the server's first pass over a push body (any JSON to `JSONValue`, for
/// the shape check) with the decoder's try-each-type order as it was, reordered, and with
/// `JSONParser`, then parse + typed read as a push does now, against Foundation's
/// `JSONSerialization` on the same bytes, alternating in one run.
enum DecodeBench {
    /// `JSONValue.init(from:)` as it was before issue 12: Bool, Int64, String, array, object.
    enum OldOrder: Decodable {
        case null, bool(Bool), int(Int64), string(String), array([OldOrder]), object([String: OldOrder])
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .null
            } else if let b = try? c.decode(Bool.self) {
                self = .bool(b)
            } else if let i = try? c.decode(Int64.self) {
                self = .int(i)
            } else if let s = try? c.decode(String.self) {
                self = .string(s)
            } else if let a = try? c.decode([OldOrder].self) {
                self = .array(a)
            } else {
                self = .object(try c.decode([String: OldOrder].self))
            }
        }
    }

    static func run() throws {
        // 200 new notes, as `brief sync` pushes them.
        let text = "Inspection regimes remain the main sticking point. Each side wants joint inspection teams."
        let stamp = Stamp(physical: 1_764_000_000_000, counter: 0, replica: "r-bench")
        let mutations = (0..<200).map { i -> Mutation in
            let a = Annotation(
                id: "note-\(i)", briefing: "briefing-\(i % 7)", kind: .note,
                anchor: Anchor(section: "key-topics", text: text, range: 10..<40), note: "note number \(i)",
                tags: ["t\(i % 3)"], author: "bench")
            return Mutation(id: "m-\(i)", replica: "r-bench", delta: a.record(at: stamp))
        }
        let body = try WireJSON.data(Wire.PushRequest(mutations: mutations))
        let runs = 41
        var t: [[Double]] = [[], [], [], [], []]
        let bytes = Array(body)
        for _ in 0..<runs {
            t[0].append(median(1) { _ in _ = try? JSONSerialization.jsonObject(with: body) })
            t[1].append(median(1) { _ in _ = try? JSONDecoder().decode(OldOrder.self, from: body) })
            t[2].append(median(1) { _ in _ = try? JSONDecoder().decode(JSONValue.self, from: body) })
            t[3].append(median(1) { _ in _ = try? JSONParser.parse(bytes) })
            // What a push body costs now: parsed once and typed from the parsed value.
            t[4].append(median(1) { _ in _ = try? Wire.PushRequest(wire: try JSONParser.parse(bytes), at: []) })
        }
        let m = t.map { $0.sorted()[runs / 2] }
        print("brief-bench decode: a push of 200 notes (\(body.count) bytes), \(runs) runs each, median ms")
        print(String(format: "JSONSerialization (baseline)   %8.2f ms   1.00x", m[0]))
        print(String(format: "JSONValue, old order           %8.2f ms %6.2fx", m[1], m[1] / m[0]))
        print(String(format: "JSONValue, likeliest first     %8.2f ms %6.2fx", m[2], m[2] / m[0]))
        print(String(format: "JSONParser (one strict pass)   %8.2f ms %6.2fx", m[3], m[3] / m[0]))
        print(String(format: "JSONParser + typed directly    %8.2f ms %6.2fx", m[4], m[4] / m[0]))
        print(
            String(
                format: "speed-up of the reorder: %.2fx; of the parser over the reordered decoder: %.2fx", m[1] / m[2],
                m[2] / m[3]))
    }
}
