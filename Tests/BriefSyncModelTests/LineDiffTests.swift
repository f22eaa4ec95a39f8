import BriefSyncModel
import Testing

@Suite struct LineDiffTests {
    @Test func keepsRemovesAndAddsInOrder() {
        #expect(
            LineDiff.lines("a\nb\nc\nd", "a\nB\nc\nd\ne") == [
                .same("a"), .removed("b"), .added("B"), .same("c"), .same("d"), .added("e"),
            ])
        #expect(LineDiff.lines("same", "same") == [.same("same")])
        #expect(LineDiff.lines("x\ny", "y\nx") == [.removed("x"), .same("y"), .added("x")])
    }

    @Test func repeatedLinesMatchOnce() {
        #expect(LineDiff.lines("-\n-", "-") == [.same("-"), .removed("-")])
    }
}
