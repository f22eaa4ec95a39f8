/// Where an annotation points: an exact quote in one section, with context to find it again.
///
/// Follows the W3C Web Annotation model's `TextQuoteSelector` (exact, prefix, suffix) plus a
/// `TextPositionSelector` (start, end). Positions count Unicode code points (scalars), so they
/// mean the same on every platform and in every language.
public struct Anchor: Sendable, Hashable, Codable {
    /// The stable key of the section the quote is in.
    public var section: String
    /// The quoted text.
    public var exact: String
    /// Up to ``contextLength`` code points just before the quote.
    public var prefix: String
    /// Up to ``contextLength`` code points just after the quote.
    public var suffix: String
    /// Code-point offset of the quote's first scalar in the section text.
    public var start: Int
    /// Code-point offset just past the quote.
    public var end: Int
    /// The revision of the briefing the quote was found in: the stamp of its latest change then.
    public var revision: String?

    /// How much context the anchor keeps on each side.
    public static let contextLength = 32

    public init(section: String, exact: String, prefix: String, suffix: String, start: Int, end: Int) {
        self.section = section
        self.exact = exact
        self.prefix = prefix
        self.suffix = suffix
        self.start = start
        self.end = end
    }

    /// Builds the anchor for the code-point range `range` of `text`.
    public init(section: String, text: String, range: Range<Int>) {
        let scalars = Array(text.unicodeScalars)
        let lo = max(0, range.lowerBound - Anchor.contextLength)
        let hi = min(scalars.count, range.upperBound + Anchor.contextLength)
        self.init(
            section: section,
            exact: String(String.UnicodeScalarView(scalars[range])),
            prefix: String(String.UnicodeScalarView(scalars[lo..<range.lowerBound])),
            suffix: String(String.UnicodeScalarView(scalars[range.upperBound..<hi])),
            start: range.lowerBound,
            end: range.upperBound)
    }

    var json: JSONValue {
        var o: [String: JSONValue] = [
            "section": .string(section), "exact": .string(exact), "prefix": .string(prefix),
            "suffix": .string(suffix), "start": .int(Int64(start)), "end": .int(Int64(end)),
        ]
        if let revision { o["revision"] = .string(revision) }
        return .object(o)
    }

    /// Reads an anchor from its JSON; `nil` unless it is whole and its positions make sense
    /// (0 ≤ start ≤ end), since anchors arrive from other replicas.
    public init?(json: JSONValue) {
        guard case .object(let o) = json, let section = o["section"]?.string, let exact = o["exact"]?.string,
            case .int(let start)? = o["start"], case .int(let end)? = o["end"], start >= 0, start <= end,
            end <= Int64(Int32.max)
        else { return nil }
        self.init(
            section: section, exact: exact, prefix: o["prefix"]?.string ?? "", suffix: o["suffix"]?.string ?? "",
            start: Int(start), end: Int(end))
        revision = o["revision"]?.string
    }

    /// This anchor, marked as found in the briefing `record` as it is now.
    public func at(revisionOf record: Record) -> Anchor {
        var a = self
        a.revision = record.latestWrite.description
        return a
    }
}
