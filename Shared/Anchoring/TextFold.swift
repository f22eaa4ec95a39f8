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
    /// Each folded character's code point when it is one ASCII code point, else 0: what
    /// matching compares first (``same(_:key:at:)``), since comparing `Character`s is slow.
    public private(set) var ascii: [UInt8] = []
    /// The original text's code points, which `starts` and `ends` index.
    public let scalars: [Unicode.Scalar]

    public init(_ text: String, caseless: Bool = true) {
        scalars = Array(text.unicodeScalars)
        var text = text
        text.makeContiguousUTF8()
        let utf8 = text.utf8
        chars.reserveCapacity(utf8.count)
        starts.reserveCapacity(utf8.count)
        ends.reserveCapacity(utf8.count)
        ascii.reserveCapacity(utf8.count)
        let folded: Void? = utf8.withContiguousStorageIfAvailable { bytes in
            var p = 0
            var offset = 0
            while p < bytes.count {
                let v = bytes[p]
                // An ASCII code point followed by another (or by the end) is a character of its
                // own (CR LF is one, but white space either way, and a run of it folds to one
                // space): folded here from the bytes, as `fold` would, which is most of a
                // briefing. A code point that may join the next, and every non-ASCII one, goes
                // the general way.
                if v < 0x80, p + 1 == bytes.count || bytes[p + 1] < 0x80 {
                    if v == 0x20 || (0x09...0x0D).contains(v) {
                        space(offset, offset + 1)
                    } else {
                        let folded = caseless && (0x41...0x5A).contains(v) ? v + 0x20 : v
                        append(Self.asciiCharacters[Int(folded)], offset, offset + 1, ascii: folded)
                    }
                    offset += 1
                    p += 1
                    continue
                }
                let at = utf8.index(utf8.startIndex, offsetBy: p)
                offset += add(text[at], at: offset, caseless: caseless)
                p += utf8.distance(from: at, to: text.index(after: at))
            }
        }
        // A contiguous string always lends its bytes; were it ever not to, fold it the slow way.
        if folded == nil { addCharacterwise(text, caseless: caseless) }
    }

    private static let asciiCharacters: [Character] = (0..<128).map { Character(Unicode.Scalar(UInt8($0))) }

    /// White space: a run of it folds to one space.
    private mutating func space(_ start: Int, _ end: Int) {
        if ascii.last == 0x20 {
            ends[ends.count - 1] = end
        } else {
            append(" ", start, end, ascii: 0x20)
        }
    }

    /// The fold character by character, as `String` iterates them: what the fast path of
    /// `init` must agree with (tests compare the two).
    package init(characterwise text: String, caseless: Bool = true) {
        scalars = Array(text.unicodeScalars)
        addCharacterwise(text, caseless: caseless)
    }

    private mutating func addCharacterwise(_ text: String, caseless: Bool) {
        var offset = 0
        for c in text { offset += add(c, at: offset, caseless: caseless) }
    }

    /// Folds `c`, which starts at code point `offset` of the original; returns its width.
    private mutating func add(_ c: Character, at offset: Int, caseless: Bool) -> Int {
        let width = c.unicodeScalars.count
        if c.isWhitespace {
            space(offset, offset + width)
        } else {
            for f in Self.fold(c, caseless: caseless) { append(f, offset, offset + width) }
        }
        return width
    }

    private mutating func append(_ c: Character, _ start: Int, _ end: Int, ascii key: UInt8? = nil) {
        chars.append(c)
        starts.append(start)
        ends.append(end)
        ascii.append(key ?? Self.key(c))
    }

    /// `c`'s code point when it is one ASCII code point, else 0 (`"\r\n"` is two).
    public static func key(_ c: Character) -> UInt8 {
        let scalars = c.unicodeScalars
        guard let first = scalars.first, first.isASCII, scalars.index(after: scalars.startIndex) == scalars.endIndex
        else { return 0 }
        return UInt8(truncatingIfNeeded: first.value)
    }

    /// Whether `c` (whose ``key(_:)`` is `k`) equals folded character `i`, as `==` on
    /// `Character`s says: two ASCII code points are equal when their bytes are, and anything
    /// else (a character canonically equivalent to an ASCII one, such as U+212A KELVIN SIGN
    /// and `K`, included) is compared as characters.
    @inline(__always)
    public func same(_ c: Character, key k: UInt8, at i: Int) -> Bool {
        let b = ascii[i]
        if k != 0 && b != 0 { return k == b }
        return c == chars[i]
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
