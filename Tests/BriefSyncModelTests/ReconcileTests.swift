import BriefSyncModel
import Testing

/// The server's merge rules that need the common base.
@Suite struct ReconcileTests {
    let field = "section.s.text"

    func stamp(_ p: Int64, _ r: String) -> Stamp { Stamp(physical: p, counter: 0, replica: r) }

    func briefing(_ text: String, _ s: Stamp) -> Record {
        var r = Record(id: "b", kind: .briefing)
        r.set(field, .string(text), at: s)
        return r
    }

    func delta(_ text: String, _ s: Stamp) -> Record { briefing(text, s) }

    @Test func cleanThreeWayMergeGetsAStampAboveBoth() {
        let base = briefing("one\ntwo\nthree", stamp(1, "a"))
        let current = briefing("ONE\ntwo\nthree", stamp(5, "b"))
        var clock = HybridLogicalClock(replica: "server")
        let (out, clashes) = Reconcile.apply(
            delta("one\ntwo\nTHREE", stamp(4, "c")), to: current, seen: base, clock: &clock, wall: 10)
        #expect(clashes.isEmpty)
        #expect(out[field] == .string("ONE\ntwo\nTHREE"))
        #expect(out.fields[field]!.stamp > stamp(5, "b") && out.fields[field]!.stamp.replica == "server")
    }

    @Test func clashKeepsTheWinnerAndReportsBothSides() {
        let base = briefing("Talks on Tuesday.", stamp(1, "a"))
        let current = briefing("Talks on Monday.", stamp(5, "b"))
        var clock = HybridLogicalClock(replica: "server")
        let incoming = delta("Talks on Friday.", stamp(7, "c"))
        let (out, clashes) = Reconcile.apply(incoming, to: current, seen: base, clock: &clock, wall: 10)
        #expect(out[field] == .string("Talks on Friday."))
        #expect(
            clashes == [
                Reconcile.TextClash(
                    field: field, base: "Talks on Tuesday.", winner: incoming.fields[field]!,
                    loser: current.fields[field]!)
            ])
    }

    @Test func anEditOfAnUnchangedTextWinsEvenWithAnOlderStamp() {
        let base = briefing("same", stamp(1, "a"))
        let current = briefing("same", stamp(9, "b"))  // rewritten with the same text later
        var clock = HybridLogicalClock(replica: "server")
        let (out, _) = Reconcile.apply(delta("edited", stamp(3, "c")), to: current, seen: base, clock: &clock, wall: 10)
        #expect(out[field] == .string("edited"))
        #expect(out.fields[field]!.stamp > stamp(9, "b"))
    }

    @Test func anEditMadeWithoutSeeingTheDeleteRevivesTheRecord() {
        let base = briefing("text", stamp(1, "a"))
        var current = base
        current.deleted = stamp(5, "b")
        var clock = HybridLogicalClock(replica: "server")
        let (out, _) = Reconcile.apply(
            delta("edited offline", stamp(3, "c")), to: current, seen: base, clock: &clock, wall: 10)
        #expect(!out.isDeleted)
        #expect(out[field] == .string("edited offline"))
    }

    @Test func aDeleteThatHadNotSeenAnEditDoesNotHideIt() {
        let base = briefing("text", stamp(1, "a"))
        let current = briefing("edited", stamp(3, "c"))
        var deletion = Record(id: "b", kind: .briefing)
        deletion.deleted = stamp(5, "b")
        var clock = HybridLogicalClock(replica: "server")
        let (out, _) = Reconcile.apply(deletion, to: current, seen: base, clock: &clock, wall: 10)
        #expect(!out.isDeleted)
        #expect(out[field] == .string("edited"))
        // A delete that had seen the edit deletes.
        let (seenOut, _) = Reconcile.apply(deletion, to: current, seen: current, clock: &clock, wall: 10)
        #expect(seenOut.isDeleted)
    }
}

@Suite struct DeltaTests {
    /// An NFC → NFD re-save is a change (bytes differ), though Swift calls the strings equal.
    @Test func aChangeOfNormalisationIsAChange() {
        let s = Stamp(physical: 1, counter: 0, replica: "r")
        var old = Record(id: "b", kind: .briefing)
        old.set("title", .string("Caf\u{E9}"), at: s)
        var new = old
        new.set("title", .string("Cafe\u{301}"), at: s)
        let delta = Record.delta(from: old, to: new, at: Stamp(physical: 2, counter: 0, replica: "r"))
        #expect(delta["title"] == .string("Cafe\u{301}"))
        #expect(Record.delta(from: old, to: old, at: s).isEmptyDelta)
    }
}
