import BriefSyncModel
import Testing

/// The merge is a join: commutative, associative and idempotent on random inputs.
@Suite struct MergePropertyTests {
    static let seeds = Array(UInt64(1)...UInt64(40))

    @Test(arguments: seeds)
    func mergeIsCommutativeAssociativeAndIdempotent(seed: UInt64) {
        var gen = RecordGenerator(rng: SeededGen(seed: seed))
        for _ in 0..<50 {
            let (a, b, c) = (gen.record(), gen.record(), gen.record())
            #expect(Record.merge(a, b) == Record.merge(b, a), "commutativity, seed \(seed)")
            #expect(
                Record.merge(Record.merge(a, b), c) == Record.merge(a, Record.merge(b, c)),
                "associativity, seed \(seed)")
            #expect(Record.merge(a, a) == a, "idempotence, seed \(seed)")
            #expect(Record.merge(Record.merge(a, b), b) == Record.merge(a, b), "idempotence of deltas, seed \(seed)")
        }
    }

    @Test(arguments: seeds)
    func anyDeliveryOrderConverges(seed: UInt64) {
        var gen = RecordGenerator(rng: SeededGen(seed: seed))
        var rng = SeededGen(seed: seed &+ 1000)
        let deltas = (0..<8).map { _ in gen.record() }
        let reference = deltas.dropFirst().reduce(deltas[0], Record.merge)
        for _ in 0..<10 {
            let shuffled = deltas.shuffled(using: &rng)
            // Deliver each delta once or twice, in random order.
            let delivered = shuffled + shuffled.filter { _ in Bool.random(using: &rng) }
            #expect(delivered.dropFirst().reduce(delivered[0], Record.merge) == reference, "seed \(seed)")
        }
    }

    @Test func laterStampWinsPerField() {
        let early = Stamp(physical: 1, counter: 0, replica: "a")
        let late = Stamp(physical: 2, counter: 0, replica: "b")
        var a = Record(id: "x", kind: .briefing)
        a.set("title", .string("mine"), at: late)
        a.set("status", .string("draft"), at: early)
        var b = Record(id: "x", kind: .briefing)
        b.set("title", .string("theirs"), at: early)
        b.set("status", .string("published"), at: late)
        let m = Record.merge(a, b)
        #expect(m["title"] == .string("mine"))
        #expect(m["status"] == .string("published"))
    }

    @Test func concurrentTagAdditionSurvivesARemoval() {
        let s1 = Stamp(physical: 1, counter: 0, replica: "a")
        let s2 = Stamp(physical: 2, counter: 0, replica: "b")
        var base = TagSet()
        base.add("urgent", at: s1)
        var remover = base
        remover.remove("urgent", observed: base)
        var adder = base
        adder.add("urgent", at: s2)
        #expect(!remover.contains("urgent"))
        #expect(TagSet.merge(remover, adder).contains("urgent"))
        #expect(TagSet.merge(adder, remover).elements == ["urgent"])
        var both = TagSet.merge(remover, adder)
        both.remove("urgent", observed: both)
        #expect(both.elements.isEmpty)
    }

    @Test func deletionHidesTheRecordUnlessALaterWriteRevivesIt() {
        var r = Record(id: "x", kind: .annotation)
        r.set("note", .string("n"), at: Stamp(physical: 1, counter: 0, replica: "a"))
        r.deleted = Stamp(physical: 2, counter: 0, replica: "b")
        #expect(r.isDeleted)
        r.set("note", .string("edited offline"), at: Stamp(physical: 3, counter: 0, replica: "a"))
        #expect(!r.isDeleted)
    }

    @Test func recordsRoundTripThroughTheWireForm() throws {
        var gen = RecordGenerator(rng: SeededGen(seed: 99))
        for _ in 0..<100 {
            let r = gen.record()
            let data = try WireJSON.data(r)
            #expect(try WireJSON.decode(Record.self, from: data) == r)
            #expect(try WireJSON.data(WireJSON.decode(Record.self, from: data)) == data)
        }
    }
}
