/// HTML briefings read as Markdown: headings stay headings (with their level), paragraphs,
/// list items and line breaks become lines, `<pre>` a fenced block, everything else its text.
/// One pass over the input with no backtracking, so hostile markup costs linear time; scripts,
/// styles and comments are dropped, character references decoded.
public enum HTMLText {
    /// Whether `text` is an HTML document rather than Markdown that happens to hold a tag.
    public static func looksLikeHTML(_ text: String) -> Bool {
        let head = text.drop { $0.isWhitespace }.prefix(512).lowercased()
        guard head.hasPrefix("<") else { return false }
        return head.hasPrefix("<!doctype html") || head.hasPrefix("<html") || head.hasPrefix("<body")
            || head.hasPrefix("<h1") || head.hasPrefix("<article") || head.hasPrefix("<section")
            || head.hasPrefix("<p>") || head.hasPrefix("<div") || head.hasPrefix("<meta")
            || head.hasPrefix("<head")
    }

    /// Elements whose content is not text.
    static let skipped: Set<String> = ["script", "style", "template", "noscript", "svg", "head"]
    /// Elements that end a line.
    static let blocks: Set<String> = [
        "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "blockquote", "ul", "ol",
        "table", "tr", "figure", "figcaption", "dl", "dt", "dd", "hr", "address", "body", "html",
    ]

    /// The Markdown reading of `html`.
    public static func markdown(_ html: String) -> String {
        var out = ""
        var line = ""
        var skipping: String? = nil
        var pre = false
        var title: String? = nil
        var inTitle = false
        var heading: Int? = nil
        let chars = Array(html.unicodeScalars)
        var i = 0

        func flush(blank: Bool) {
            let t = line.trimmed
            if !t.isEmpty { out += (heading.map { String(repeating: "#", count: $0) + " " } ?? "") + t + "\n" }
            line = ""
            if blank, !out.hasSuffix("\n\n"), !out.isEmpty { out += "\n" }
        }
        func appendText(_ s: String) {
            if inTitle {
                title = (title ?? "") + s
                return
            }
            guard skipping == nil else { return }
            if pre {
                for ch in s {
                    if ch == "\n" {
                        out += line + "\n"
                        line = ""
                    } else {
                        line.append(ch)
                    }
                }
                return
            }
            for ch in s {
                if ch.isWhitespace {
                    if !line.isEmpty, line.last != " " { line.append(" ") }
                } else {
                    line.append(ch)
                }
            }
        }

        while i < chars.count {
            let c = chars[i]
            if c == "<" {
                // A comment, a declaration or a tag; a lone `<` is text.
                if i + 3 < chars.count, chars[i + 1] == "!", chars[i + 2] == "-", chars[i + 3] == "-" {
                    var j = i + 4
                    while j + 2 < chars.count, !(chars[j] == "-" && chars[j + 1] == "-" && chars[j + 2] == ">") {
                        j += 1
                    }
                    i = min(chars.count, j + 3)
                    continue
                }
                // `<` not followed by a letter, `/`, `!` or `?` opens no tag: it is text ("3 < 4").
                guard i + 1 < chars.count,
                    chars[i + 1].properties.isAlphabetic || "/!?".unicodeScalars.contains(chars[i + 1])
                else {
                    appendText("<")
                    i += 1
                    continue
                }
                var j = i + 1
                while j < chars.count, chars[j] != ">" { j += 1 }
                guard j < chars.count else {
                    appendText(String(String.UnicodeScalarView(chars[i...])))
                    break
                }
                let inner = String(String.UnicodeScalarView(chars[(i + 1)..<j]))
                i = j + 1
                let closing = inner.hasPrefix("/")
                let name = String(
                    inner.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }
                ).lowercased()
                guard !name.isEmpty else {
                    if !inner.hasPrefix("!") && !inner.hasPrefix("?") { appendText("<" + inner + ">") }
                    continue
                }
                if let s = skipping {
                    if closing, name == s { skipping = nil }
                    if name == "title" { inTitle = !closing }
                    continue
                }
                if skipped.contains(name), !closing, !inner.hasSuffix("/") {
                    skipping = name
                    continue
                }
                if name == "title" {
                    inTitle = !closing
                    continue
                }
                if name.count == 2, name.first == "h", let n = Int(String(name.last!)), (1...6).contains(n) {
                    flush(blank: true)
                    heading = closing ? nil : n
                    if closing { out += "\n" }
                    continue
                }
                switch name {
                case "br":
                    if pre { appendText("\n") } else { flush(blank: false) }
                case "li":
                    flush(blank: false)
                    if !closing { line = "- " }
                case "pre":
                    if closing, pre {
                        // The last line of preformatted text as it is, spaces included.
                        if !line.isEmpty { out += line + "\n" }
                        line = ""
                        out += "```\n\n"
                        pre = false
                    } else if !closing {
                        flush(blank: true)
                        out += "```\n"
                        pre = true
                    }
                case "td", "th":
                    if closing { line += " " }
                default:
                    if blocks.contains(name) { flush(blank: true) }
                }
            } else if c == "&" {
                var j = i + 1
                while j < chars.count, j - i <= 10, chars[j] != ";", chars[j] != "<", chars[j] != "&" { j += 1 }
                if j < chars.count, chars[j] == ";",
                    let decoded = entity(String(String.UnicodeScalarView(chars[(i + 1)..<j])))
                {
                    appendText(decoded)
                    i = j + 1
                } else {
                    appendText("&")
                    i += 1
                }
            } else {
                var j = i
                while j < chars.count, chars[j] != "<", chars[j] != "&" { j += 1 }
                appendText(String(String.UnicodeScalarView(chars[i..<j])))
                i = j
            }
        }
        flush(blank: false)
        // The page title, when the body has no `#` heading of its own, is the briefing's title.
        if let title, !title.trimmed.isEmpty, !out.contains("\n# "), !out.hasPrefix("# ") {
            let collapsed = title.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            out = "# " + collapsed + "\n\n" + out
        }
        return out
    }

    /// A character reference's text (`amp`, `#39`, `#x2019`), or `nil` if unknown.
    static func entity(_ name: String) -> String? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        case "nbsp": return " "
        case "ndash": return "–"
        case "mdash": return "—"
        case "hellip": return "…"
        case "lsquo": return "‘"
        case "rsquo": return "’"
        case "ldquo": return "“"
        case "rdquo": return "”"
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value =
                digits.first == "x" || digits.first == "X"
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, value != 0, let scalar = Unicode.Scalar(value),
                scalar.properties.generalCategory != .control || scalar == "\n" || scalar == "\t"
            else { return nil }
            return String(Character(scalar))
        }
    }
}
