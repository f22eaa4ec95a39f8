/// Turns a plain-text or Markdown document into a title and sections.
///
/// - The title is the first non-empty line (without Markdown `#`), unless one is given.
/// - If any line is a Markdown heading (`# …`), headings are exactly those lines.
/// - Otherwise a heading is a short line with no closing punctuation that is followed by more
///   text, as in briefings pasted from the web.
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
    }

    /// Why a document could not be parsed.
    public enum Failure: Error, Sendable, Hashable {
        case empty
    }

    /// Parses `text`. With `title`, the first line is kept as content rather than taken as title.
    public func parse(_ text: String, title: String? = nil) throws(Failure) -> Parsed {
        let normalized = text.replacingCRLF()
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0).trimmingTrailingWhitespace()
        }
        guard lines.contains(where: { !$0.isBlank }) else { throw .empty }
        var docTitle = title?.trimmed ?? ""
        if docTitle.isEmpty {
            let first = lines.firstIndex { !$0.isBlank }!
            docTitle = Self.markdownHeading(lines[first])?.text ?? lines[first].trimmed
            lines.removeSubrange(0...first)
        }
        let markdown = lines.contains { Self.markdownHeading($0) != nil }
        var sections: [(heading: String, body: [String])] = []
        var current: (heading: String, body: [String])? = nil
        for (i, line) in lines.enumerated() {
            let heading: String?
            if markdown {
                heading = Self.markdownHeading(line)?.text
            } else {
                heading = isPlainHeading(line, next: lines[(i + 1)...].first { !$0.isBlank }) ? line.trimmed : nil
            }
            if let heading {
                if let c = current { sections.append(c) }
                current = (heading, [])
            } else {
                if current == nil {
                    if line.isBlank { continue }
                    current = ("", [])
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
            return Section(key: key, heading: s.heading, text: Self.joinBody(s.body))
        }
        return Parsed(
            title: docTitle, sections: result.isEmpty ? [Section(key: "body", heading: "", text: "")] : result)
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

    /// Joins body lines, trimming blank lines at both ends and folding runs of blank lines to one.
    package static func joinBody(_ body: [String]) -> String {
        var out: [String] = []
        for line in body {
            if line.isBlank {
                if let last = out.last, !last.isEmpty { out.append("") }
            } else {
                out.append(line)
            }
        }
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n")
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
