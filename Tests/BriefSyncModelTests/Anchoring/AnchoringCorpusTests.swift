import BriefSyncModel
import Testing

/// Scores re-anchoring on the hand-written corpus: the share of cases that end on the right
/// passage or say honestly that they are not sure, per category, and the cases placed
/// confidently on a wrong passage (there must be none).
@Suite struct AnchoringCorpusTests {
    enum Outcome: String { case right, honest, confidentlyWrong }

    static func run(_ c: AnchoringCorpus.Case) throws -> (Outcome, Placement, String) {
        let original = try BriefingParser().parse(c.original)
        let hits = original.sections.flatMap { s in TextQuote.occurrences(of: c.quote, in: s.text).map { (s, $0) } }
        guard c.occurrence <= hits.count else { throw CorpusError(message: "\(c.name): quote not in the original") }
        let (section, range) = hits[c.occurrence - 1]
        let anchor = Anchor(section: section.key, text: section.text, range: range)
        let parsed = try BriefingParser().parse(c.edited)
        let edited = Section.rekey(
            parsed.sections, existing: original.sections, reserved: Set(original.sections.map(\.key)))
        let placement = Anchoring.place(anchor, in: edited)
        let placedText: String = {
            guard let key = placement.section, let r = placement.range,
                let s = edited.first(where: { $0.key == key })
            else { return "-" }
            return String(String.UnicodeScalarView(Array(s.text.unicodeScalars)[r]))
        }()
        switch c.expect {
        case .gone:
            return (placement.status.isConfident ? .confidentlyWrong : .honest, placement, placedText)
        case .at(let heading, let within):
            let parts = heading.split(separator: "#")
            let nth = parts.count > 1 ? Int(parts[1])! : 1
            let matching = edited.filter { $0.heading == String(parts[0]) }
            guard nth <= matching.count else { throw CorpusError(message: "\(c.name): no section \(heading)") }
            let target = matching[nth - 1]
            let spans = TextQuote.occurrences(of: within, in: target.text)
            guard spans.count == 1 else {
                throw CorpusError(message: "\(c.name): '\(within)' occurs \(spans.count) times in \(heading)")
            }
            if placement.section == target.key, let r = placement.range, !r.isEmpty,
                spans[0].lowerBound <= r.lowerBound,
                r.upperBound <= spans[0].upperBound
            {
                return (.right, placement, placedText)
            }
            return (placement.status.isConfident ? .confidentlyWrong : .honest, placement, placedText)
        }
    }

    struct CorpusError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    @Test func reanchoringIsRightOrHonestAndNeverConfidentlyWrong() throws {
        let cases = AnchoringCorpus.cases
        #expect(cases.count >= 80)
        var byCategory: [String: [Outcome]] = [:]
        var wrong: [String] = []
        var unsure: [String] = []
        for c in cases {
            let (outcome, placement, text) = try Self.run(c)
            byCategory[c.category, default: []].append(outcome)
            let line = "\(c.category) / \(c.name): \(placement.status.rawValue) on \"\(text)\""
            if outcome == .confidentlyWrong { wrong.append(line) }
            if outcome == .honest, case .at = c.expect { unsure.append(line) }
        }
        var total = 0
        var good = 0
        for (category, outcomes) in byCategory.sorted(by: { $0.key < $1.key }) {
            let right = outcomes.filter { $0 == .right }.count
            let honest = outcomes.filter { $0 == .honest }.count
            print(
                "anchoring \(category): \(right + honest)/\(outcomes.count) correct (\(right) on the right passage, \(honest) honestly unsure or gone), \(outcomes.count - right - honest) confidently wrong"
            )
            total += outcomes.count
            good += right + honest
        }
        print(
            "anchoring overall: \(good)/\(total) correct (\(good * 1000 / max(total, 1)) ‰), \(wrong.count) confidently wrong"
        )
        for line in unsure { print("  unsure where a passage exists: \(line)") }
        #expect(wrong.isEmpty, "placed confidently on a wrong passage:\n\(wrong.joined(separator: "\n"))")
        #expect(good * 100 >= total * 95)
    }
}
