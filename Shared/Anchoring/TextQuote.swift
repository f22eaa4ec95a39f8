/// Finding quotes in text, by code point.
public enum TextQuote {
    /// Every code-point range where `quote` occurs in `text`, in order (overlaps included).
    public static func occurrences(of quote: String, in text: String) -> [Range<Int>] {
        let needle = Array(quote.unicodeScalars)
        let hay = Array(text.unicodeScalars)
        guard !needle.isEmpty, needle.count <= hay.count else { return [] }
        var out: [Range<Int>] = []
        var i = 0
        while i + needle.count <= hay.count {
            if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) {
                out.append(i..<(i + needle.count))
            }
            i += 1
        }
        return out
    }

    /// Where `anchor` points in `text` now: its recorded position if the quote is still there,
    /// else the occurrence whose surrounding context matches best (ties: nearest the old start);
    /// `nil` if the quote is gone.
    public static func locate(_ anchor: Anchor, in text: String) -> Range<Int>? {
        let candidates = occurrences(of: anchor.exact, in: text)
        // Positions come from other replicas: never build a range from them unchecked.
        if anchor.start >= 0, anchor.start <= anchor.end, candidates.contains(anchor.start..<anchor.end) {
            return anchor.start..<anchor.end
        }
        let scalars = Array(text.unicodeScalars)
        func score(_ r: Range<Int>) -> Int {
            let before = scalars[max(0, r.lowerBound - Anchor.contextLength)..<r.lowerBound]
            let after = scalars[r.upperBound..<min(scalars.count, r.upperBound + Anchor.contextLength)]
            let p = zip(before.reversed(), anchor.prefix.unicodeScalars.reversed()).prefix { $0 == $1 }.count
            let s = zip(after, anchor.suffix.unicodeScalars).prefix { $0 == $1 }.count
            return p + s
        }
        return candidates.min { a, b in
            let (sa, sb) = (score(a), score(b))
            if sa != sb { return sa > sb }
            return (a.lowerBound - anchor.start).magnitude < (b.lowerBound - anchor.start).magnitude
        }
    }

    /// The passage of `text` most like `quote`, for "did you mean" messages: the window of as many
    /// words as the quote whose word parts best match the quote's (a part matches a part it
    /// begins, ignoring case); `nil` if nothing matches.
    public static func closestPassage(to quote: String, in text: String) -> String? {
        let words = text.split(whereSeparator: { $0.isWhitespace })
        let wanted = tokens(quote)
        let size = min(words.count, max(1, quote.split(whereSeparator: { $0.isWhitespace }).count))
        guard !words.isEmpty, !wanted.isEmpty else { return nil }
        let wordTokens = words.map { tokens($0) }
        var best = (score: 0, start: 0)
        for start in 0...(words.count - size) {
            var pool = wanted
            var score = 0
            for token in wordTokens[start..<(start + size)].joined() {
                if let i = pool.firstIndex(where: {
                    $0 == token || (min($0.count, token.count) >= 4 && ($0.hasPrefix(token) || token.hasPrefix($0)))
                }) {
                    pool.remove(at: i)
                    score += 1
                }
            }
            if score > best.score { best = (score, start) }
        }
        guard best.score > 0 else { return nil }
        return words[best.start..<(best.start + size)].joined(separator: " ")
    }

    private static func tokens<S: StringProtocol>(_ text: S) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }
}
