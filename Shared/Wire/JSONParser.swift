/// Parses JSON bytes straight into a ``JSONValue`` in one pass: strict RFC 8259 grammar, UTF-8
/// checked, duplicate keys refused, nesting bounded. It replaces `JSONDecoder` → `JSONValue`,
/// whose try-each-type containers cost a fifth of the server's push CPU.
///
/// Numbers become `.int`: a fraction or exponent is accepted only when the value is a whole
/// number in `Int64` (as `JSONDecoder` decoding `Int64` accepts `1.0`), anything else is refused,
/// since no field holds other numbers.
public struct JSONParser {
    /// Where and why parsing stopped.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Byte offset in the input.
        public let offset: Int
        public let reason: String
        public var description: String { "\(reason) at byte \(offset)" }
    }

    /// Parses a whole document (one value, surrounded by whitespace only).
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 64) throws(Failure) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(Failure) in
            var p = JSONParser(bytes: buffer, maxDepth: maxDepth)
            p.skipSpace()
            let value = try p.value(depth: 0)
            p.skipSpace()
            guard p.index == buffer.count else { throw p.failure("text after the JSON value") }
            return value
        }
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0
    /// The members of the objects being read, innermost last (see ``object(depth:)``).
    var members: [(key: String, value: JSONValue, end: Int)] = []

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    func failure(_ reason: String) -> Failure { Failure(offset: index, reason: reason) }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard index < bytes.count else { throw failure("the JSON ends too early") }
        switch bytes[index] {
        case 0x7B: return try object(depth: depth + 1)
        case 0x5B: return try array(depth: depth + 1)
        case 0x22: return .string(try string())
        case 0x74: try literal("true"); return .bool(true)
        case 0x66: try literal("false"); return .bool(false)
        case 0x6E: try literal("null"); return .null
        case 0x2D, 0x30...0x39: return .int(try number())
        default: throw failure("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws(Failure) {
        let n = word.utf8CodeUnitCount
        guard index + n <= bytes.count,
            (0..<n).allSatisfy({ bytes[index + $0] == word.utf8Start[$0] })
        else { throw failure("unexpected word") }
        index += n
    }

    mutating func object(depth: Int) throws(Failure) -> JSONValue {
        guard try open(0x7B, 0x7D, depth: depth, expected: "expected an object") else { return .object([:]) }
        // Members are gathered on a stack shared by every object of the document (an inner
        // object's are gone before its outer one goes on), then put in a dictionary of the right
        // size at once: growing each dictionary a member at a time rehashed it at every doubling.
        let base = members.count
        repeat {
            let key = try key()
            let member = try value(depth: depth)
            members.append((key, member, index))
        } while try nextMember()
        var object = [String: JSONValue](minimumCapacity: members.count - base)
        // Taken off the stack last first, so each member moves into the dictionary uncopied.
        while members.count > base {
            let (key, value, end) = members.removeLast()
            guard object.updateValue(value, forKey: key) == nil else {
                members.removeSubrange(base...)
                throw Failure(offset: end, reason: "the key '\(key.prefix(40))' appears twice in one object")
            }
        }
        return .object(object)
    }

    mutating func array(depth: Int) throws(Failure) -> JSONValue {
        var elements: [JSONValue] = []
        guard try open(0x5B, 0x5D, depth: depth, expected: "expected an array") else { return .array(elements) }
        repeat { elements.append(try value(depth: depth)) } while try nextElement()
        return .array(elements)
    }

    /// A string from its opening quote: raw runs are copied as they are, escapes decoded, the
    /// result checked as UTF-8 once.
    mutating func string() throws(Failure) -> String {
        index += 1
        let start = index
        // The common case: no escapes, so the bytes between the quotes are the string.
        var bits: UInt8 = 0
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x22 {
                defer { index += 1 }
                let utf8 = UnsafeBufferPointer(rebasing: bytes[start..<index])
                // ASCII (most keys and values) is valid UTF-8 as it is.
                return bits < 0x80 ? String(decoding: utf8, as: UTF8.self) : try text(utf8, at: start)
            }
            if b == 0x5C { break }
            guard b >= 0x20 else { throw failure("a control character inside a string (escape it)") }
            bits |= b
            index += 1
        }
        var out = Array(bytes[start..<index])
        while index < bytes.count {
            let b = bytes[index]
            switch b {
            case 0x22:
                index += 1
                return try out.withUnsafeBufferPointer { buffer throws(Failure) in try text(buffer, at: start) }
            case 0x5C:
                index += 1
                guard index < bytes.count else { throw failure("the JSON ends inside an escape") }
                let e = bytes[index]
                index += 1
                switch e {
                case 0x22, 0x5C, 0x2F: out.append(e)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75: try unicodeEscape(into: &out)
                default: throw failure("an unknown escape '\\\(Character(UnicodeScalar(e)))'")
                }
            default:
                guard b >= 0x20 else { throw failure("a control character inside a string (escape it)") }
                out.append(b)
                index += 1
            }
        }
        throw failure("the JSON ends inside a string")
    }

    /// The string `utf8` holds, if it is valid UTF-8. `String(decoding:)` replaces each ill-formed
    /// part with U+FFFD, so the bytes are valid exactly when it changed none of them.
    /// (`String(validating:as:)` is generic, and its unspecialized call looked up type metadata
    /// for every string: a fifth of decoding a pull page.)
    func text(_ utf8: UnsafeBufferPointer<UInt8>, at start: Int) throws(Failure) -> String {
        var s = String(decoding: utf8, as: UTF8.self)
        let unchanged = s.withUTF8 { decoded in
            guard decoded.count == utf8.count else { return false }
            for i in 0..<decoded.count where decoded[i] != utf8[i] { return false }
            return true
        }
        guard unchanged else { throw Failure(offset: start, reason: "a string that is not valid UTF-8") }
        return s
    }

    mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("the JSON ends inside a \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let digit: UInt32
            switch b {
            case 0x30...0x39: digit = UInt32(b - 0x30)
            case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
            default: throw failure("a \\u escape needs four hex digits")
            }
            v = v << 4 | digit
            index += 1
        }
        return v
    }

    /// `\uXXXX`, with a surrogate pair as one scalar; a lone surrogate is refused.
    mutating func unicodeEscape(into out: inout [UInt8]) throws(Failure) {
        var code = try hex4()
        if (0xD800...0xDBFF).contains(code) {
            guard index + 2 <= bytes.count, bytes[index] == 0x5C, bytes[index + 1] == 0x75 else {
                throw failure("a high surrogate without its low half")
            }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw failure("a high surrogate without its low half") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(code) {
            throw failure("a low surrogate without its high half")
        }
        out.append(contentsOf: UTF8.encode(Unicode.Scalar(code)!)!)
    }

    /// A number; see the type's note on fractions.
    mutating func number() throws(Failure) -> Int64 {
        let start = index
        if bytes[index] == 0x2D { index += 1 }
        guard index < bytes.count, (0x30...0x39).contains(bytes[index]) else {
            throw failure("a number without digits")
        }
        if bytes[index] == 0x30 {
            index += 1
        } else {
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
        }
        var whole = true
        if index < bytes.count, bytes[index] == 0x2E {
            whole = false
            index += 1
            guard index < bytes.count, (0x30...0x39).contains(bytes[index]) else {
                throw failure("a fraction without digits")
            }
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == 0x65 || bytes[index] == 0x45 {
            whole = false
            index += 1
            if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
            guard index < bytes.count, (0x30...0x39).contains(bytes[index]) else {
                throw failure("an exponent without digits")
            }
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if whole, let n = Int64(text) { return n }
        // 2^53: beyond it a Double no longer holds every whole number exactly.
        if !whole, let d = Double(text), d.rounded() == d, abs(d) <= 9_007_199_254_740_992, let n = Int64(exactly: d) {
            return n
        }
        throw Failure(offset: start, reason: "a number that is not a whole number in 64 bits")
    }
}

extension JSONValue {
    /// Parses JSON bytes (see ``JSONParser``).
    public init(parsing bytes: [UInt8], maxDepth: Int = 64) throws(JSONParser.Failure) {
        self = try JSONParser.parse(bytes, maxDepth: maxDepth)
    }
}
