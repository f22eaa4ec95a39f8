/// A three-way merge of token sequences (diff3, after Khanna, Kunal and Pierce, "A Formal
/// Investigation of Diff3").
///
/// Tokens are compared by their exact UTF-8 bytes, so canonically equivalent but differently
/// encoded text (é precomposed vs. e + combining accent) is a change, never silently equal.
enum Diff3 {
    /// One stretch of the merged output.
    enum Chunk: Equatable {
        /// Taken as it is: unchanged, or changed on one side only, or changed alike on both.
        case resolved([String])
        /// Changed differently on both sides.
        case conflict(base: [String], ours: [String], theirs: [String])
    }

    /// Inputs larger than this many token pairs are not diffed finely (quadratic memory): they
    /// merge only if one side is unchanged.
    static let maxCells = 12_000_000

    static func merge(base: [String], ours: [String], theirs: [String]) -> [Chunk] {
        var ids: [[UInt8]: Int] = [:]
        func intern(_ s: [String]) -> [Int] {
            s.map { token in
                let key = Array(token.utf8)
                if let id = ids[key] { return id }
                let id = ids.count
                ids[key] = id
                return id
            }
        }
        let (b, o, t) = (intern(base), intern(ours), intern(theirs))
        guard let matchO = lcsMatches(b, o), let matchT = lcsMatches(b, t) else {
            return [resolve(base, ours, theirs, b, o, t)]
        }
        var chunks: [Chunk] = []
        var (i, j, k) = (0, 0, 0)
        while i < b.count || j < o.count || k < t.count {
            // The next base token matched on both sides.
            var next = i
            while next < b.count && (matchO[next] == nil || matchT[next] == nil) { next += 1 }
            if next < b.count && next == i && matchO[i] == j && matchT[i] == k {
                append(&chunks, [base[i]])
                i += 1
                j += 1
                k += 1
                continue
            }
            let (ni, nj, nk) = next < b.count ? (next, matchO[next]!, matchT[next]!) : (b.count, o.count, t.count)
            let chunk = resolve(
                Array(base[i..<ni]), Array(ours[j..<nj]), Array(theirs[k..<nk]), Array(b[i..<ni]), Array(o[j..<nj]),
                Array(t[k..<nk]))
            if case .resolved(let tokens) = chunk { append(&chunks, tokens) } else { chunks.append(chunk) }
            (i, j, k) = (ni, nj, nk)
        }
        return chunks
    }

    private static func append(_ chunks: inout [Chunk], _ tokens: [String]) {
        if case .resolved(let previous)? = chunks.last {
            chunks[chunks.count - 1] = .resolved(previous + tokens)
        } else {
            chunks.append(.resolved(tokens))
        }
    }

    private static func resolve(
        _ base: [String], _ ours: [String], _ theirs: [String], _ b: [Int], _ o: [Int], _ t: [Int]
    ) -> Chunk {
        if o == b { return .resolved(theirs) }
        if t == b || t == o { return .resolved(ours) }
        return .conflict(base: base, ours: ours, theirs: theirs)
    }

    /// For each index of `a`, the index of `b` it is matched to in a longest common subsequence;
    /// `nil` if the inputs are too large to diff.
    static func lcsMatches(_ a: [Int], _ b: [Int]) -> [Int?]? {
        // Trim the common prefix and suffix first: most edits are small.
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix
            && a[a.count - 1 - suffix] == b[b.count - 1 - suffix]
        {
            suffix += 1
        }
        var match = [Int?](repeating: nil, count: a.count)
        for x in 0..<prefix { match[x] = x }
        for x in 0..<suffix { match[a.count - 1 - x] = b.count - 1 - x }
        let am = Array(a[prefix..<(a.count - suffix)])
        let bm = Array(b[prefix..<(b.count - suffix)])
        let (n, m) = (am.count, bm.count)
        guard n > 0 && m > 0 else { return match }
        guard n * m <= maxCells else { return nil }
        // lengths[x][y] = LCS length of am[x...] and bm[y...], row-major.
        var lengths = [Int32](repeating: 0, count: (n + 1) * (m + 1))
        for x in stride(from: n - 1, through: 0, by: -1) {
            for y in stride(from: m - 1, through: 0, by: -1) {
                lengths[x * (m + 1) + y] =
                    am[x] == bm[y]
                    ? lengths[(x + 1) * (m + 1) + y + 1] + 1
                    : max(lengths[(x + 1) * (m + 1) + y], lengths[x * (m + 1) + y + 1])
            }
        }
        var (x, y) = (0, 0)
        while x < n && y < m {
            if am[x] == bm[y] {
                match[prefix + x] = prefix + y
                x += 1
                y += 1
            } else if lengths[(x + 1) * (m + 1) + y] >= lengths[x * (m + 1) + y + 1] {
                x += 1
            } else {
                y += 1
            }
        }
        return match
    }
}
