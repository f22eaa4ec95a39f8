extension Briefing {
    /// The briefing as one plain text, the one W3C `TextPositionSelector`s count in (code
    /// points): the title, a blank line, then each section as its heading line (if any) and its
    /// text, sections separated by a blank line. `offsets[key]` is where a section's text starts.
    public var plainText: (text: String, offsets: [String: Int]) {
        var text = title + "\n\n"
        var offsets: [String: Int] = [:]
        for (i, s) in sections.enumerated() {
            if i > 0 { text += "\n\n" }
            if !s.heading.isEmpty { text += s.heading + "\n" }
            offsets[s.key] = text.unicodeScalars.count
            text += s.text
        }
        return (text, offsets)
    }
}
