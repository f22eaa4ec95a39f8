/// A JSON value held by a record field.
///
/// Records keep their fields as JSON so that the merge, the wire format and both stores treat every
/// field alike; ``Briefing`` and ``Annotation`` are typed views over them.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        // Most likely first: every failed attempt throws, and throwing dominated decoding
        // (issue 12's push profile). Strings (most leaves) cost no throw, objects one.
        if c.decodeNil() {
            self = .null
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let o = try? c.decode([String: JSONValue].self) {
            self = .object(o)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else if let i = try? c.decode(Int64.self) {
            self = .int(i)
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "unsupported JSON value (fractional numbers are not used)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// The string, if this is one.
    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer, if this is one.
    public var int: Int64? {
        if case .int(let i) = self { return i }
        return nil
    }

    /// The array of strings, if this is an array whose elements are all strings.
    public var strings: [String]? {
        guard case .array(let a) = self else { return nil }
        let s = a.compactMap(\.string)
        return s.count == a.count ? s : nil
    }

    /// A total order used only to break ties between equal stamps deterministically.
    package var canonical: String {
        switch self {
        case .null: return "n"
        case .bool(let b): return b ? "b1" : "b0"
        case .int(let i): return "i\(i)"
        case .string(let s): return "s" + s
        case .array(let a): return "a[" + a.map(\.canonical).joined(separator: "\u{1}") + "]"
        case .object(let o):
            return "o{" + o.keys.sorted().map { $0 + "\u{2}" + o[$0]!.canonical }.joined(separator: "\u{1}") + "}"
        }
    }
}
