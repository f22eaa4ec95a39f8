/// Three-way merge of text fields: diff3 on lines, then on words inside the lines that changed
/// on both sides.
///
/// Line endings are normalized (`\r\n` and `\r` become `\n`) before merging, so a CRLF copy of a
/// text does not conflict with its LF original.
public enum TextMerge {
    /// The result of merging.
    public enum Outcome: Sendable, Hashable {
        /// Both sides' changes combined.
        case merged(String)
        /// The sides changed the same words differently; nothing was combined.
        case conflict
    }

    public static func merge(base: String, ours: String, theirs: String) -> Outcome {
        let (b, o, t) = (base.replacingCRLF(), ours.replacingCRLF(), theirs.replacingCRLF())
        if o == t { return .merged(o) }
        if o == b { return .merged(t) }
        if t == b { return .merged(o) }
        var out: [String] = []
        for chunk in Diff3.merge(base: lines(b), ours: lines(o), theirs: lines(t)) {
            switch chunk {
            case .resolved(let tokens):
                out.append(contentsOf: tokens)
            case .conflict(let cb, let co, let ct):
                // Word level inside the clashing lines.
                let words = Diff3.merge(
                    base: words(cb.joined(separator: "\n")), ours: words(co.joined(separator: "\n")),
                    theirs: words(ct.joined(separator: "\n")))
                var merged = ""
                for w in words {
                    guard case .resolved(let tokens) = w else { return .conflict }
                    merged += tokens.joined()
                }
                // Keep line structure: the word merge may join or split lines.
                if !merged.isEmpty { out.append(contentsOf: lines(merged)) }
            }
        }
        return .merged(out.joined(separator: "\n"))
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Words and the whitespace between them, as separate tokens: joining them gives the text back.
    static func words(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var inSpace: Bool? = nil
        for ch in text {
            let space = ch.isWhitespace
            if inSpace != nil && space != inSpace {
                tokens.append(current)
                current = ""
            }
            current.append(ch)
            inSpace = space
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }
}
