/// Small helpers for laying out text in a fixed-width terminal.
public enum TextLayout {
    /// The width text is laid out to: 80, or the terminal's width when `brief` writes to one.
    /// Set once by the command-line tool before it renders anything; read-only after that.
    nonisolated(unsafe) public static var width = 80

    /// Wraps `text` to `width` columns at spaces, keeping existing line breaks; continuation
    /// lines get `indent`.
    public static func wrap(_ text: String, width: Int = TextLayout.width, indent: String = "") -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var lines: [String] = []
            // Leading spaces are indentation (replies, nested lines): kept on the first line.
            let lead = String(line.prefix { $0 == " " })
            var current = lead
            for word in line.dropFirst(lead.count).split(separator: " ", omittingEmptySubsequences: false) {
                let candidate = current == lead ? current + word : current + " " + word
                if candidate.count > width && current != lead {
                    lines.append(current)
                    current = indent + word
                } else {
                    current = candidate
                }
            }
            lines.append(current)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// `text` cut to `width` characters, ending in `…` when cut.
    public static func truncate(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(0, width - 1))) + "…"
    }

    /// `text` padded with spaces to `width` characters (cut if longer).
    public static func pad(_ text: String, _ width: Int) -> String {
        let t = truncate(text, width)
        return t + String(repeating: " ", count: max(0, width - t.count))
    }

    /// Inserts `open`/`close` around code-point ranges of `text`; ranges must not overlap.
    static func mark(_ text: String, _ ranges: [(range: Range<Int>, open: String, close: String)]) -> String {
        var scalars = Array(text.unicodeScalars)
        for m in ranges.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            guard m.range.upperBound <= scalars.count else { continue }
            scalars.insert(contentsOf: m.close.unicodeScalars, at: m.range.upperBound)
            scalars.insert(contentsOf: m.open.unicodeScalars, at: m.range.lowerBound)
        }
        return String(String.UnicodeScalarView(scalars))
    }
}
