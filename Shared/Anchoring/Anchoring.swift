/// Re-anchoring: where an annotation's quote lies after the briefing's text changed
/// (`docs/anchoring.md` states the algorithm, its thresholds and why).
///
/// Deterministic and pure, so every replica places every annotation the same way.
public enum Anchoring {
    /// Quotes shorter than this (folded characters) need supporting context to be confident.
    public static let shortQuote = 12
    /// Context characters (prefix plus suffix, folded) a short quote needs.
    public static let shortQuoteContext = 6
    /// Score lead the best exact place needs over the runner-up.
    public static let clearLead = 8
    /// Quotes at least this long may be matched approximately.
    public static let fuzzyMinimum = 16
    /// Largest edit distance, as a share of the quote's length, for an approximate match.
    public static let fuzzyMaxDistance = 0.2
    /// Longest text searched approximately (folded characters), to bound the cost.
    public static let fuzzyTextLimit = 200_000

    struct Candidate {
        var section: Int
        var range: Range<Int>
        /// Folded characters of the stored prefix and suffix that still surround it.
        var context: Int
        var score: Int
    }

    /// Places `anchor` among `sections` (the briefing's current sections, in order).
    public static func place(_ anchor: Anchor, in sections: [Section]) -> Placement {
        place(anchor, in: sections, folded: sections.map { FoldedText($0.text) })
    }

    /// The same, with the sections' folded texts made once by the caller (a briefing's
    /// annotations are all placed against the same texts).
    public static func place(_ anchor: Anchor, in sections: [Section], folded: [FoldedText]) -> Placement {
        let quote = FoldedText(anchor.exact).trimmed
        guard !quote.isEmpty, !sections.isEmpty, folded.count == sections.count else {
            return Placement(status: .orphan)
        }
        let prefix = Array(FoldedText(anchor.prefix).chars)
        let suffix = Array(FoldedText(anchor.suffix).chars)
        let home = sections.firstIndex { $0.key == anchor.section }
        var candidates: [Candidate] = []
        for (i, text) in folded.enumerated() {
            for start in occurrences(of: quote, in: text) {
                let end = start + quote.count
                let context = contextScore(text.chars, start: start, end: end, prefix: prefix, suffix: suffix)
                var score = 2 * context
                let real = text.original(start..<end)
                if i == home {
                    score += 6
                    let drift = abs(real.lowerBound &- anchor.start)
                    score += max(0, 6 - drift / 40)
                }
                if text.scalars[real].elementsEqual(anchor.exact.unicodeScalars) {
                    score += 2
                }
                candidates.append(Candidate(section: i, range: real, context: context, score: score))
            }
        }
        if let best = candidates.max(by: { order($0, $1) }) {
            let key = sections[best.section].key
            let status: Placement.Status = best.section == home ? .anchored : .moved
            let others = candidates.filter { $0.section != best.section || $0.range != best.range }
            if let runnerUp = others.map(\.score).max(), best.score - runnerUp < clearLead {
                return Placement(status: .ambiguous, section: key, range: best.range)
            }
            if quote.count < shortQuote && best.context < shortQuoteContext {
                // A short quote standing alone: right text, but nothing says it is the same passage.
                return Placement(status: .fuzzy, section: key, range: best.range)
            }
            return Placement(status: status, section: key, range: best.range)
        }
        return approximate(quote, in: sections, folded: folded, home: home)
    }

    /// Where `quote` occurs in `text`, compared on the folded form (so a typed `-` finds `‑`,
    /// straight quotes find curly ones, any white space finds any), as real code-point ranges.
    /// Letter case is ignored only when no place matches it exactly.
    public static func matches(of quote: String, in text: String) -> [Range<Int>] {
        for caseless in [false, true] {
            let q = FoldedText(quote, caseless: caseless).trimmed
            let folded = FoldedText(text, caseless: caseless)
            let found = occurrences(of: q, in: folded).map { folded.original($0..<($0 + q.count)) }
            if !found.isEmpty { return found }
        }
        return []
    }

    /// ``matches(of:in:)`` folded and compared character by character, as it was before bytes
    /// were compared first: what tests and `brief-bench anchor` hold it against.
    package static func characterwiseMatches(of quote: String, in text: String) -> [Range<Int>] {
        for caseless in [false, true] {
            let q = FoldedText(characterwise: quote, caseless: caseless).trimmed
            let hay = FoldedText(characterwise: text, caseless: caseless)
            guard !q.isEmpty, q.count <= hay.chars.count else { continue }
            let found = (0...(hay.chars.count - q.count)).filter { hay.chars[$0..<($0 + q.count)].elementsEqual(q) }
            if !found.isEmpty { return found.map { hay.original($0..<($0 + q.count)) } }
        }
        return []
    }

    /// The passage of `text` closest to `quote` (least edit distance on the folded forms), and
    /// what first differs between the two; `nil` when nothing is close (over half changed).
    public static func closest(to quote: String, in text: String) -> (
        passage: String, difference: String?, distance: Int
    )? {
        let q = FoldedText(quote, caseless: false)
        let needle = q.trimmed
        let folded = FoldedText(text, caseless: false)
        guard !needle.isEmpty, folded.chars.count <= fuzzyTextLimit,
            let best = bestSubstrings(needle, in: folded.chars).first, !best.range.isEmpty,
            best.distance * 2 <= needle.count
        else { return nil }
        let real = folded.original(best.range)
        let scalars = Array(text.unicodeScalars)
        let passage = String(String.UnicodeScalarView(scalars[real]))
        // Compare folded, report real characters: the difference a person can see and fix.
        let typedChars = needle
        let foundChars = Array(folded.chars[best.range])
        let qScalars = Array(quote.unicodeScalars)
        let lead = q.chars.firstIndex { $0 != " " } ?? 0
        // A folded character may stand for several real ones (a run of white space): strings.
        func realTyped(_ i: Int) -> String {
            String(String.UnicodeScalarView(qScalars[q.starts[lead + i]..<q.ends[lead + i]]))
        }
        func realFound(_ i: Int) -> String {
            let k = best.range.lowerBound + i
            return String(String.UnicodeScalarView(scalars[folded.starts[k]..<folded.ends[k]]))
        }
        var difference: String? = nil
        if let i = zip(typedChars, foundChars).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            difference =
                "character \(i + 1): you typed \(describe(realTyped(i))), the text has \(describe(realFound(i)))"
        } else if typedChars.count < foundChars.count {
            difference = "the text goes on with \(describe(realFound(typedChars.count)))"
        } else if typedChars.count > foundChars.count {
            difference = "you typed more: \(describe(realTyped(foundChars.count))) onwards"
        }
        return (passage, difference, best.distance)
    }

    static func describe(_ c: String) -> String {
        let codes = c.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true).leftPadded(to: 4) }
        return "'\(c)' (\(codes.joined(separator: " ")))"
    }

    /// The better of two candidates: higher score, then earlier section, then earlier start.
    static func order(_ a: Candidate, _ b: Candidate) -> Bool {
        if a.score != b.score { return a.score < b.score }
        if a.section != b.section { return a.section > b.section }
        return a.range.lowerBound > b.range.lowerBound
    }

    /// Every start of `needle` in `hay`.
    ///
    /// Every place is tried (`brief show` tries each annotation's quote at each), so the places
    /// worth comparing are found eight bytes at a time: where the first character's ASCII byte
    /// is, or a 0 (a character that is not one ASCII code point).
    static func occurrences(of needle: [Character], in hay: FoldedText) -> [Int] {
        let n = needle.count
        guard n > 0, n <= hay.chars.count else { return [] }
        let keys = needle.map(FoldedText.key)
        var out: [Int] = []
        func match(at i: Int) {
            var k = 0
            while k < n && hay.same(needle[k], key: keys[k], at: i + k) { k += 1 }
            if k == n { out.append(i) }
        }
        let last = hay.chars.count - n
        guard keys[0] != 0 else {
            for i in 0...last { match(at: i) }
            return out
        }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let pattern = UInt64(keys[0]) &* ones
        hay.ascii.withUnsafeBytes { bytes in
            var i = 0
            while i + 8 <= last + 1 {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let x = word ^ pattern
                // A byte of `word` is 0 or the first byte only if this is non-zero (may say so
                // of a word that has neither; the bytes are then checked one by one).
                if ((x &- ones) & ~x & highs) | ((word &- ones) & ~word & highs) != 0 {
                    for j in i..<(i + 8) { match(at: j) }
                }
                i += 8
            }
            while i <= last {
                match(at: i)
                i += 1
            }
        }
        return out
    }

    /// How many characters of the stored prefix and suffix still surround the place.
    static func contextScore(_ text: [Character], start: Int, end: Int, prefix: [Character], suffix: [Character]) -> Int
    {
        var p = 0
        while p < prefix.count, start - p - 1 >= 0, text[start - p - 1] == prefix[prefix.count - p - 1] { p += 1 }
        var s = 0
        while s < suffix.count, end + s < text.count, text[end + s] == suffix[s] { s += 1 }
        return p + s
    }

    /// Approximate matching for quotes long enough to support it: the substring with the least
    /// edit distance, accepted only under the threshold and with a clear lead.
    static func approximate(
        _ quote: [Character], in sections: [Section], folded: [FoldedText], home: Int?
    ) -> Placement {
        guard quote.count >= fuzzyMinimum, folded.reduce(0, { $0 + $1.chars.count }) <= fuzzyTextLimit else {
            return Placement(status: .orphan)
        }
        var matches: [(section: Int, range: Range<Int>, distance: Int)] = []
        for (i, text) in folded.enumerated() {
            matches += bestSubstrings(quote, in: text.chars).map { (i, $0.range, $0.distance) }
        }
        let limit = Int(Double(quote.count) * fuzzyMaxDistance)
        matches.sort {
            if $0.distance != $1.distance { return $0.distance < $1.distance }
            let (h0, h1) = ($0.section == home, $1.section == home)
            if h0 != h1 { return h0 }
            if $0.section != $1.section { return $0.section < $1.section }
            return $0.range.lowerBound < $1.range.lowerBound
        }
        guard let best = matches.first, best.distance <= limit, !best.range.isEmpty else {
            return Placement(status: .orphan)
        }
        let lead = matches.dropFirst().first.map { $0.distance - best.distance } ?? Int.max
        let status: Placement.Status = lead >= max(2, quote.count / 10) ? .fuzzy : .ambiguous
        let range = folded[best.section].original(best.range)
        return Placement(status: status, section: sections[best.section].key, range: range)
    }

    /// Approximate occurrences of `needle` in `hay` (Sellers' algorithm): the best place, and
    /// the best place that does not overlap it (the runner-up).
    static func bestSubstrings(_ needle: [Character], in hay: [Character]) -> [(range: Range<Int>, distance: Int)] {
        let m = needle.count
        guard !hay.isEmpty else { return [] }
        // previous[i]: distance of needle[0..<i] ending at the previous column; startOf: where it began.
        var previous = Array(0...m)
        var previousStart = Array(repeating: 0, count: m + 1)
        var current = [Int](repeating: 0, count: m + 1)
        var currentStart = [Int](repeating: 0, count: m + 1)
        var ends: [(end: Int, start: Int, distance: Int)] = []
        ends.reserveCapacity(hay.count)
        for j in 0..<hay.count {
            current[0] = 0
            currentStart[0] = j + 1
            for i in 1...m {
                let substitute = previous[i - 1] + (needle[i - 1] == hay[j] ? 0 : 1)
                let delete = previous[i] + 1
                let insert = current[i - 1] + 1
                if substitute <= delete && substitute <= insert {
                    current[i] = substitute
                    currentStart[i] = i == 1 ? j : previousStart[i - 1]
                } else if delete <= insert {
                    current[i] = delete
                    currentStart[i] = previousStart[i]
                } else {
                    current[i] = insert
                    currentStart[i] = currentStart[i - 1]
                }
            }
            ends.append((j + 1, currentStart[m], current[m]))
            swap(&previous, &current)
            swap(&previousStart, &currentStart)
        }
        guard let best = ends.min(by: { $0.distance < $1.distance || ($0.distance == $1.distance && $0.end < $1.end) })
        else { return [] }
        var out = [(range: best.start..<best.end, distance: best.distance)]
        let far = ends.filter { $0.end <= best.start || $0.start >= best.end }
        if let second = far.min(by: { $0.distance < $1.distance || ($0.distance == $1.distance && $0.end < $1.end) }) {
            out.append((second.start..<max(second.start + 1, second.end), second.distance))
        }
        return out
    }
}
