/// A line-by-line difference between two texts, for people reading a history (`brief log -p`).
public enum LineDiff {
    public enum Line: Sendable, Hashable {
        case same(String)
        case removed(String)
        case added(String)
    }

    /// The lines of `old` and `new` in order, each kept, removed or added. Texts too large to
    /// diff (``Diff3/maxCells``) come back as every old line removed, then every new line added.
    public static func lines(_ old: String, _ new: String) -> [Line] {
        let a = TextMerge.lines(old)
        let b = TextMerge.lines(new)
        var ids: [String: Int] = [:]
        for line in a + b where ids[line] == nil { ids[line] = ids.count }
        let ai = a.map { ids[$0]! }
        let bi = b.map { ids[$0]! }
        guard let match = Diff3.lcsMatches(ai, bi) else {
            return a.map(Line.removed) + b.map(Line.added)
        }
        var out: [Line] = []
        var y = 0
        for (x, line) in a.enumerated() {
            guard let to = match[x] else {
                out.append(.removed(line))
                continue
            }
            while y < to {
                out.append(.added(b[y]))
                y += 1
            }
            out.append(.same(line))
            y = to + 1
        }
        while y < b.count {
            out.append(.added(b[y]))
            y += 1
        }
        return out
    }
}
