extension Section {
    /// Gives the sections of an edited body the keys of the sections they continue, so the
    /// annotations anchored in a section follow its text:
    /// 1. same heading and same text;
    /// 2. same heading, paired by the most similar text (repeated headings such as "Outlook"
    ///    under three countries never trade keys);
    /// 3. a renamed heading over a text that is still mostly the same (≥ half its words);
    /// 4. otherwise a fresh key, never one in `reserved` (every key the briefing ever had), so a
    ///    deleted section's annotations are orphaned rather than handed to a newcomer.
    public static func rekey(_ sections: [Section], existing: [Section], reserved: Set<String> = []) -> [Section] {
        var out = sections
        var free = Array(existing.indices)
        var assigned = Array(repeating: false, count: sections.count)
        func claim(_ i: Int, _ old: Int) {
            out[i].key = existing[old].key
            assigned[i] = true
            free.removeAll { $0 == old }
        }
        for (i, s) in sections.enumerated() {
            if let old = free.first(where: { existing[$0].heading == s.heading && existing[$0].text == s.text }) {
                claim(i, old)
            }
        }
        let words = sections.map { Self.words($0.text) }
        let oldWords = existing.map { Self.words($0.text) }
        for i in sections.indices where !assigned[i] {
            let same = free.filter { existing[$0].heading == sections[i].heading }
            if let old = same.max(by: { similarity(words[i], oldWords[$0]) < similarity(words[i], oldWords[$1]) }) {
                claim(i, old)
            }
        }
        for i in sections.indices where !assigned[i] {
            let best = free.max { similarity(words[i], oldWords[$0]) < similarity(words[i], oldWords[$1]) }
            if let best, similarity(words[i], oldWords[best]) >= 0.5 { claim(i, best) }
        }
        var taken = reserved.union(existing.map(\.key)).union(out.indices.filter { assigned[$0] }.map { out[$0].key })
        for i in sections.indices where !assigned[i] {
            let base = sections[i].key
            var key = base
            var n = 2
            while taken.contains(key) {
                key = "\(base)-\(n)"
                n += 1
            }
            out[i].key = key
            taken.insert(key)
        }
        return out
    }

    static func words(_ text: String) -> Set<String> {
        Set(text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
    }

    /// Jaccard similarity of two word sets (1 for two empty texts).
    static func similarity(_ a: Set<String>, _ b: Set<String>) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        let union = a.union(b).count
        return union == 0 ? 0 : Double(a.intersection(b).count) / Double(union)
    }
}
