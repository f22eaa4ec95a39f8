import BriefSyncModel
import Testing

@Suite struct HybridLogicalClockTests {
    @Test func ticksFollowTheWallClock() {
        var clock = HybridLogicalClock(replica: "a")
        #expect(clock.tick(wall: 1000) == Stamp(physical: 1000, counter: 0, replica: "a"))
        #expect(clock.tick(wall: 1005) == Stamp(physical: 1005, counter: 0, replica: "a"))
        #expect(clock.tick(wall: 1005) == Stamp(physical: 1005, counter: 1, replica: "a"))
    }

    @Test func staysMonotonicWhenTheWallClockGoesBackwards() {
        var clock = HybridLogicalClock(replica: "a")
        let first = clock.tick(wall: 50_000)
        let second = clock.tick(wall: 10_000)
        let third = clock.tick(wall: 49_999)
        #expect(first < second && second < third)
        #expect(third == Stamp(physical: 50_000, counter: 2, replica: "a"))
    }

    @Test func receivingMovesPastTheRemoteStamp() throws {
        var clock = HybridLogicalClock(replica: "a")
        _ = clock.tick(wall: 1000)
        let remote = Stamp(physical: 2000, counter: 7, replica: "b")
        try clock.receive(remote, wall: 1500)
        let next = clock.tick(wall: 1600)
        #expect(next > remote)
        #expect(next == Stamp(physical: 2000, counter: 9, replica: "a"))
    }

    @Test func refusesStampsTooFarInTheFutureAndStaysUnchanged() {
        var clock = HybridLogicalClock(replica: "a", maxDrift: 60_000)
        _ = clock.tick(wall: 1000)
        let before = clock.last
        #expect(throws: ClockDriftError.self) {
            try clock.receive(Stamp(physical: 1000 + 60_001, counter: 0, replica: "b"), wall: 1000)
        }
        #expect(clock.last == before)
        #expect(throws: Never.self) {
            try clock.receive(Stamp(physical: 1000 + 60_000, counter: 0, replica: "b"), wall: 1000)
        }
    }

    @Test func orderIsTotalWithReplicaTieBreak() {
        let a = Stamp(physical: 5, counter: 1, replica: "a")
        let b = Stamp(physical: 5, counter: 1, replica: "b")
        #expect(a < b && !(b < a) && a != b)
        #expect(Stamp(physical: 5, counter: 2, replica: "a") > b)
        #expect(Stamp(physical: 6, counter: 0, replica: "a") > Stamp(physical: 5, counter: 99, replica: "z"))
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func encodedFormSortsLikeStamps(seed: UInt64) {
        var rng = SeededGen(seed: seed)
        let stamps = (0..<200).map { _ in
            Stamp(
                physical: Int64.random(in: 0...2_000_000_000_000, using: &rng),
                counter: UInt32.random(in: 0...3, using: &rng),
                replica: ["a", "b", "c-d"].randomElement(using: &rng)!)
        }
        for s in stamps { #expect(Stamp(s.description) == s, "seed \(seed)") }
        #expect(stamps.sorted().map(\.description) == stamps.map(\.description).sorted(), "seed \(seed)")
    }

    /// The byte-wise reading of the usual form and the general parse give the same answers at
    /// the edges of the usual form.
    @Test func edgesOfTheUsualFormParseAsBefore() {
        let cases: [(String, Stamp?)] = [
            ("000000000000001-0000000002-a", Stamp(physical: 1, counter: 2, replica: "a")),
            ("999999999999999-4294967295-r", Stamp(physical: 999_999_999_999_999, counter: .max, replica: "r")),
            ("000000000000001-4294967296-a", nil),
            ("000000000000001-0000000002-", Stamp(physical: 1, counter: 2, replica: "")),
            ("000000000000001-0000000002-é-x-y", Stamp(physical: 1, counter: 2, replica: "é-x-y")),
            // Forms only the general parse takes (as it always has): a sign in a number.
            ("+00000000000001-0000000002-a", Stamp(physical: 1, counter: 2, replica: "a")),
            ("000000000000001-+000000002-a", Stamp(physical: 1, counter: 2, replica: "a")),
            ("00000000000001-00000000002-a", nil),
            ("000000000000001-000000000２-a", nil),
            ("000000000000001_0000000002-a", nil),
        ]
        for (text, expected) in cases { #expect(Stamp(text) == expected, "\(text)") }
    }

    @Test func malformedStampsAreRejected() {
        for text in ["", "12-3-a", "000000000000001-000000000x-a", "x00000000000001-0000000001-a"] {
            #expect(Stamp(text) == nil, "\(text)")
        }
    }
}

@Suite struct ClockSaturationTests {
    /// A counter at its maximum (a hostile stamp) moves time on instead of trapping.
    @Test func aMaximalCounterAdvancesPhysicalTime() throws {
        var clock = HybridLogicalClock(replica: "a")
        let wall: Int64 = 1_750_000_000_000
        try clock.receive(Stamp(physical: wall + 1000, counter: .max, replica: "evil"), wall: wall)
        #expect(clock.last == Stamp(physical: wall + 1001, counter: 0, replica: "a"))
        var ticking = HybridLogicalClock(replica: "b", last: Stamp(physical: wall, counter: .max, replica: "b"))
        #expect(ticking.tick(wall: wall) == Stamp(physical: wall + 1, counter: 0, replica: "b"))
        try ticking.receive(Stamp(physical: wall + 1, counter: .max, replica: "evil"), wall: wall)
        #expect(ticking.last == Stamp(physical: wall + 2, counter: 0, replica: "b"))
    }
}
