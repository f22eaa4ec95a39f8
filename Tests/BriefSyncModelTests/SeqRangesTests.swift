import BriefSyncModel
import Testing

/// `Wire.SeqRanges`, a pull's `have`: what a client writes, what a server reads back, and what
/// neither accepts.
@Suite struct SeqRangesTests {
    @Test func numbersBecomeRangesAndReadBack() throws {
        let r = Wire.SeqRanges([12, 5, 6, 7, 9, 8, 5, 20, 21, 0, -3])
        #expect(r.description == "5-9,12,20-21")
        #expect(Wire.SeqRanges(r.description) == r)
        #expect(
            [4, 5, 9, 10, 11, 12, 13, 19, 20, 21, 22].map { r.contains($0) } == [
                false, true, true, false, false, true, false, false, true, true, false,
            ])
        #expect(Wire.SeqRanges([Int64]()).isEmpty && Wire.SeqRanges([Int64]()).description == "")
    }

    /// More ranges than a pull may carry: the newest are kept.
    @Test func theHighestRangesAreKept() throws {
        let r = Wire.SeqRanges((1...100).map { Int64($0 * 2) })
        #expect(r.ranges.count == Wire.SeqRanges.maxRanges)
        #expect(r.ranges.first == 74...74 && r.ranges.last == 200...200)
        #expect(!r.contains(72) && r.contains(200))
        #expect(Wire.SeqRanges(r.description) == r)
    }

    @Test func onlyAscendingDigitsAreRead() throws {
        let max = String(Int64.max)
        #expect(Wire.SeqRanges("1-\(max)")?.contains(Int64.max) == true)
        #expect(Wire.SeqRanges("3-4,5")?.ranges == [3...4, 5...5])
        let tooMany = (1...65).map { String($0 * 2) }.joined(separator: ",")
        let tooLong = "1-" + String(repeating: "0", count: 3000) + "2"
        for text in [
            "", "0", "-1", "9-5", "1,1", "3,2", "1-2,2-3", "a", "1-", "-", "1--2", "1-2-3", "1,", ",1", " 1",
            "+1", "1.5", "١", "99999999999999999999", "1\u{0}", "9223372036854775808", tooMany, tooLong,
        ] {
            #expect(Wire.SeqRanges(text) == nil, "\(text.prefix(40))")
        }
    }
}
