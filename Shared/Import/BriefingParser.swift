/// Turns a plain-text, Markdown or HTML document into a title and sections.
///
/// - HTML (a document that opens with a tag and has headings or paragraphs) is read as the
///   Markdown ``HTMLText`` makes of it.
/// - YAML front matter (`---` … `---`) gives the title, source, date, status and tags.
/// - The title is the one given, else the front matter's, else a lone `#` heading or plain
///   first line (taken out of the body). A document that opens with a `##` heading (or one of
///   several `#` headings) keeps it as a section and takes its title from `name` (the file's).
/// - If any line is a Markdown heading (`# …`), headings are exactly those lines, each with its
///   level (a parent heading stays a parent). Otherwise a heading is a short line with no
///   closing punctuation that is followed by more text, as in briefings pasted from the web.
/// - Fenced code blocks (```` ``` ```` or `~~~`) are text: a `#` line in one is no heading, and
///   their lines are kept exactly.
/// - Footnotes (`[^1]` and `[^1]: …`, as `brief export` writes annotations) are left out.
/// - Text before the first heading becomes a section with an empty heading; a document without
///   headings is one section. Bullet lists stay in their section. Line endings become `\n`.
public struct BriefingParser: Sendable {
    /// The longest line, in characters, that can be a heading in plain text.
    public var maxHeadingLength = 80

    public init() {}

    /// The result of parsing.
    public struct Parsed: Sendable, Hashable {
        public var title: String
        public var sections: [Section]
        /// What the front matter said (empty without one).
        public var metadata = FrontMatter()
    }

    /// Why a document could not be parsed.
    public enum Failure: Error, Sendable, Hashable {
        case empty
    }

    /// One line of the document and whether it is inside a fenced code block (or its fence).
    package struct Line {
        package var text: String
        package var code: Bool
        var isBlank: Bool { !code && text.isBlank }
    }

    /// Parses `text`. With `title`, the first line is kept as content rather than taken as title;
    /// `name` (a file name without extension) is the title of a document that has none.
    public func parse(_ text: String, title: String? = nil, name: String? = nil) throws(Failure) -> Parsed {
        var normalized = text.replacingCRLF()
        if HTMLText.looksLikeHTML(normalized) { normalized = HTMLText.markdown(normalized) }
        var raw = normalized.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var metadata = FrontMatter()
        if let (matter, next) = FrontMatter.read(raw) {
            metadata = matter
            raw.removeFirst(next)
        }
        var lines = Self.withoutFootnotes(Self.classify(raw))
        guard lines.contains(where: { !$0.text.isBlank }) else { throw .empty }
        let markdown = lines.contains { !$0.code && Self.markdownHeading($0.text) != nil }
        var docTitle = title?.trimmed ?? metadata.title ?? ""
        if let first = lines.firstIndex(where: { !$0.text.isBlank }), !lines[first].code {
            let firstLine = lines[first].text
            let h1s = lines.filter { !$0.code && Self.markdownHeading($0.text)?.level == 1 }.count
            if let heading = Self.markdownHeading(firstLine) {
                if heading.level == 1, h1s == 1, title == nil || docTitle == heading.text {
                    // A lone `#` heading is the title (also when the front matter repeats it).
                    if docTitle.isEmpty { docTitle = heading.text }
                    lines.removeSubrange(0...first)
                } else if docTitle.isEmpty {
                    docTitle = name?.trimmed.isEmpty == false ? name!.trimmed : heading.text
                }
            } else if docTitle.isEmpty {
                docTitle = firstLine.trimmed
                lines.removeSubrange(0...first)
            }
        }
        if docTitle.isEmpty { docTitle = name?.trimmed ?? "" }
        if docTitle.isEmpty, let first = lines.first(where: { !$0.text.isBlank }) {
            docTitle = first.text.trimmed
        }
        var sections: [(heading: String, level: Int?, body: [Line])] = []
        var current: (heading: String, level: Int?, body: [Line])? = nil
        for (i, line) in lines.enumerated() {
            var heading: (level: Int?, text: String)? = nil
            if !line.code {
                if markdown {
                    heading = Self.markdownHeading(line.text).map { ($0.level, $0.text) }
                } else if isPlainHeading(line.text, next: lines[(i + 1)...].first { !$0.text.isBlank }?.text) {
                    heading = (nil, line.text.trimmed)
                }
            }
            if let heading {
                if let c = current { sections.append(c) }
                current = (heading.text, heading.level, [])
            } else {
                if current == nil {
                    if line.isBlank { continue }
                    current = ("", nil, [])
                }
                current!.body.append(line)
            }
        }
        if let c = current { sections.append(c) }
        // Repeated headings get `-2`, `-3`…, skipping any key already taken (a heading "A 2"
        // after two "A"s would otherwise share "a-2" and one section's text would overwrite
        // the other's: found by fuzzing).
        var taken = Set<String>()
        let result = sections.map { s -> Section in
            let base = Self.slug(s.heading.isEmpty ? (sections.count == 1 ? "body" : "intro") : s.heading)
            var key = base
            var n = 2
            while taken.contains(key) {
                key = "\(base)-\(n)"
                n += 1
            }
            taken.insert(key)
            return Section(key: key, heading: s.heading, text: Self.joinBody(s.body), level: s.level)
        }
        return Parsed(
            title: docTitle, sections: result.isEmpty ? [Section(key: "body", heading: "", text: "")] : result,
            metadata: metadata)
    }

    /// Marks the lines of fenced code blocks (fences included); trims trailing space elsewhere.
    package static func classify(_ raw: [String]) -> [Line] {
        var fence: Character? = nil
        var fenceLength = 0
        return raw.map { line in
            let t = line.drop { $0 == " " }
            let marker = t.prefix { $0 == "`" || $0 == "~" }
            if let f = fence {
                if marker.count >= fenceLength, marker.allSatisfy({ $0 == f }),
                    t.dropFirst(marker.count).allSatisfy(\.isWhitespace)
                {
                    fence = nil
                }
                return Line(text: line, code: true)
            }
            if marker.count >= 3, let f = marker.first, marker.allSatisfy({ $0 == f }) {
                fence = f
                fenceLength = marker.count
                return Line(text: line.trimmingTrailingWhitespace(), code: true)
            }
            return Line(text: line.trimmingTrailingWhitespace(), code: false)
        }
    }

    /// Drops footnote definitions (`[^label]: …` and the indented lines under them) and the
    /// references to them, outside code.
    static func withoutFootnotes(_ lines: [Line]) -> [Line] {
        var labels = Set<String>()
        var out: [Line] = []
        var inDefinition = false
        var blanks: [Line] = []  // blank lines inside a definition belong to it if it goes on
        for line in lines {
            if !line.code, let label = footnoteDefinition(line.text) {
                labels.insert(label)
                inDefinition = true
                blanks = []
                continue
            }
            if inDefinition, !line.code {
                if line.text.isEmpty {
                    blanks.append(line)
                    continue
                }
                if line.text.hasPrefix("    ") || line.text.hasPrefix("\t") {
                    blanks = []
                    continue
                }
            }
            inDefinition = false
            out += blanks
            blanks = []
            out.append(line)
        }
        out += blanks
        guard !labels.isEmpty else { return out }
        return out.map { line in
            guard !line.code, line.text.contains("[^") else { return line }
            var text = line.text
            for label in labels { text = text.replacingOccurrences(of: "[^\(label)]", with: "") }
            return Line(text: text, code: false)
        }
    }

    /// The label of a footnote definition line (`[^3]: …`), else `nil`.
    static func footnoteDefinition(_ line: String) -> String? {
        guard line.hasPrefix("[^"), let close = line.firstIndex(of: "]") else { return nil }
        let label = line[line.index(line.startIndex, offsetBy: 2)..<close]
        guard !label.isEmpty, label.count <= 32, !label.contains(" "),
            line[line.index(after: close)...].hasPrefix(":")
        else { return nil }
        return String(label)
    }

    func isPlainHeading(_ line: String, next: String?) -> Bool {
        let t = line.trimmed
        guard !t.isEmpty, t.count <= maxHeadingLength, next != nil else { return false }
        if Self.isBullet(t) { return false }
        guard let last = t.last, !".!?:;,…\"”’)]".contains(last) else { return false }
        return t.first.map { $0.isUppercase || $0.isNumber } ?? false
    }

    static func isBullet(_ t: String) -> Bool {
        if t.hasPrefix("- ") || t.hasPrefix("* ") || t.hasPrefix("• ") || t.hasPrefix("+ ") { return true }
        let digits = t.prefix { $0.isNumber }
        return !digits.isEmpty
            && (t.dropFirst(digits.count).hasPrefix(". ") || t.dropFirst(digits.count).hasPrefix(") "))
    }

    static func markdownHeading(_ line: String) -> (level: Int, text: String)? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return (hashes, String(line.dropFirst(hashes)).trimmed)
    }

    /// Joins body lines, trimming blank lines at both ends and folding runs of blank lines to one
    /// (not inside code blocks, whose lines are kept exactly).
    static func joinBody(_ body: [Line]) -> String {
        var out: [String] = []
        for line in body {
            if line.isBlank {
                if let last = out.last, !last.isEmpty { out.append("") }
            } else {
                out.append(line.text)
            }
        }
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n")
    }

    /// `joinBody` for plain lines (none of them code).
    package static func joinBody(_ body: [String]) -> String {
        joinBody(body.map { Line(text: $0, code: false) })
    }

    /// A lowercase ASCII key for a heading: letters and digits, words joined by `-`.
    public static func slug(_ heading: String) -> String {
        var out = ""
        var dash = false
        for scalar in heading.lowercased().unicodeScalars {
            if scalar.isASCII && (isASCIIAlphanumeric(scalar)) {
                if dash && !out.isEmpty { out.append("-") }
                out.unicodeScalars.append(scalar)
                dash = false
            } else {
                dash = true
            }
        }
        let key = String(out.prefix(40))
        return key.isEmpty ? "section" : key
    }
}

@inline(__always) private func isASCIIAlphanumeric(_ s: Unicode.Scalar) -> Bool {
    (s >= "a" && s <= "z") || (s >= "0" && s <= "9")
}

extension String {
    var trimmed: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    func trimmingTrailingWhitespace() -> String {
        String(reversed().drop { $0.isWhitespace }.reversed())
    }

    var isBlank: Bool { allSatisfy(\.isWhitespace) }

    /// `\r\n` and lone `\r` become `\n`. (`"\r\n"` is one Character in Swift, so work on scalars.)
    package func replacingCRLF() -> String {
        var out = String.UnicodeScalarView()
        var previousCR = false
        for s in unicodeScalars {
            if s == "\r" {
                out.append("\n")
                previousCR = true
            } else {
                if !(s == "\n" && previousCR) { out.append(s) }
                previousCR = false
            }
        }
        return String(out)
    }
}
