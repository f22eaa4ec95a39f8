import BriefSyncModel
import TestSupport

typealias SeededGen = SeededGenerator

/// Random records over a small space of ids, fields, values and stamps, so that merges collide.
struct RecordGenerator {
    var rng: SeededGenerator

    mutating func stamp() -> Stamp {
        Stamp(
            physical: Int64.random(in: 1...20, using: &rng), counter: UInt32.random(in: 0...2, using: &rng),
            replica: ["r1", "r2", "r3"].randomElement(using: &rng)!)
    }

    mutating func value() -> JSONValue {
        switch Int.random(in: 0...3, using: &rng) {
        case 0: return .string(["alpha", "beta", "gamma"].randomElement(using: &rng)!)
        case 1: return .int(Int64.random(in: 0...3, using: &rng))
        case 2: return .bool(Bool.random(using: &rng))
        default: return .array([.string("x"), .string(["y", "z"].randomElement(using: &rng)!)])
        }
    }

    mutating func record() -> Record {
        var r = Record(id: "rec", kind: .briefing)
        for name in ["title", "status", "section.a.text", "section.b.text"] where Bool.random(using: &rng) {
            r.set(name, value(), at: stamp())
        }
        for tag in ["red", "blue", "green"] where Int.random(in: 0...2, using: &rng) == 0 {
            let s = stamp()
            r.tags.add(tag, at: s)
            if Bool.random(using: &rng) {
                var seen = TagSet()
                seen.add(tag, at: s)
                r.tags.remove(tag, observed: seen)
            }
        }
        if Int.random(in: 0...3, using: &rng) == 0 { r.deleted = stamp() }
        return r
    }
}
