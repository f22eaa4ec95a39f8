/// A text folded for matching, with the way back to real positions.
///
/// Folding forgives what an edit or a keyboard changes without changing meaning: Unicode
/// normalisation (NFC vs NFD), dash variants (U+2010–U+2015, U+2212, non-breaking hyphen U+2011)
/// to `-`, curly quotes to straight ones, any run of white space (line breaks, no-break spaces)
/// to one space, and, when `caseless`, letter case. Every folded character remembers the
/// code-point range of the original it came from, so matches are reported in real positions.
public struct FoldedText: Sendable, Hashable {
    public private(set) var chars: [Character] = []
    /// Code-point offset in the original where each folded character starts, and ends.
    public private(set) var starts: [Int] = []
    public private(set) var ends: [Int] = []

    public init(_ text: String, caseless: Bool = true) {
        var offset = 0
        for c in text {
            let width = c.unicodeScalars.count
            defer { offset += width }
            if c.isWhitespace {
                if chars.last == " " {
                    ends[ends.count - 1] = offset + width
                } else {
                    append(" ", offset, offset + width)
                }
                continue
            }
            for f in Self.fold(c, caseless: caseless) { append(f, offset, offset + width) }
        }
    }

    private mutating func append(_ c: Character, _ start: Int, _ end: Int) {
        chars.append(c)
        starts.append(start)
        ends.append(end)
    }

    /// The folded text without white space at either end.
    public var trimmed: [Character] {
        var s = chars[...]
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return Array(s)
    }

    /// The original code-point range of folded characters `range`.
    public func original(_ range: Range<Int>) -> Range<Int> {
        starts[range.lowerBound]..<ends[range.upperBound - 1]
    }

    static func fold(_ c: Character, caseless: Bool) -> [Character] {
        let scalars = c.unicodeScalars
        if scalars.count == 1, let s = scalars.first {
            switch s.value {
            case 0x2010...0x2015, 0x2212, 0xFE58, 0xFE63, 0xFF0D: return ["-"]
            case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0xFF07: return ["'"]
            case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0xFF02: return ["\""]
            default: break
            }
        }
        // NFC vs NFD needs nothing here: `Character` equality is canonical equivalence.
        return caseless ? Array(String(c).lowercased()) : [c]
    }
}
