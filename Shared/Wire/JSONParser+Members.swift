extension JSONParser {
    /// Opens the object or array at the parser (its `opening` bracket), nested `depth` levels
    /// deep: `false` when it is empty (its `closing` bracket read too). Its members are then read
    /// with ``key()`` and ``nextMember()``, its elements each followed by ``nextElement()``.
    mutating func open(
        _ opening: UInt8, _ closing: UInt8, depth: Int, expected: @autoclosure () -> String
    ) throws(Failure) -> Bool {
        guard index < bytes.count, bytes[index] == opening else { throw failure(expected()) }
        guard depth <= maxDepth else { throw failure("nested more than \(maxDepth) levels") }
        index += 1
        skipSpace()
        if index < bytes.count, bytes[index] == closing {
            index += 1
            return false
        }
        return true
    }

    /// ``open(_:_:depth:expected:)`` for an object, the member `name`'s value.
    mutating func openObject(depth: Int, for name: String) throws(Failure) -> Bool {
        try open(0x7B, 0x7D, depth: depth, expected: "expected an object for '\(name)'")
    }

    /// ``open(_:_:depth:expected:)`` for an array, the member `name`'s value.
    mutating func openArray(depth: Int, for name: String) throws(Failure) -> Bool {
        try open(0x5B, 0x5D, depth: depth, expected: "expected an array for '\(name)'")
    }

    /// A member's key and the `:` after it; the parser is then at the member's value.
    mutating func key() throws(Failure) -> String {
        skipSpace()
        guard index < bytes.count, bytes[index] == 0x22 else { throw failure("expected a quoted key") }
        let key = try string()
        skipSpace()
        guard index < bytes.count, bytes[index] == 0x3A else { throw failure("expected ':' after a key") }
        index += 1
        skipSpace()
        return key
    }

    /// After a member's value: `true` when another member follows, `false` at the object's end.
    mutating func nextMember() throws(Failure) -> Bool {
        try next(0x7D, inside: "an object")
    }

    /// After an element: `true` when another follows (the parser then at it), `false` at the end.
    mutating func nextElement() throws(Failure) -> Bool {
        try next(0x5D, inside: "an array")
    }

    /// After a member or an element: `true` past a comma (and the space after it), `false` past
    /// the `closing` bracket.
    private mutating func next(_ closing: UInt8, inside what: StaticString) throws(Failure) -> Bool {
        skipSpace()
        guard index < bytes.count else { throw failure("the JSON ends inside \(what)") }
        switch bytes[index] {
        case 0x2C:
            index += 1
            skipSpace()
            return true
        case closing:
            index += 1
            return false
        default: throw failure("expected ',' or '\(Character(UnicodeScalar(closing)))'")
        }
    }

    /// The string at the parser, else a refusal naming `name`.
    mutating func string(for name: String) throws(Failure) -> String {
        guard index < bytes.count, bytes[index] == 0x22 else { throw failure("expected a string for '\(name)'") }
        return try string()
    }

    /// The whole number at the parser, else a refusal naming `name`.
    mutating func int(for name: String) throws(Failure) -> Int64 {
        guard index < bytes.count, bytes[index] == 0x2D || (0x30...0x39).contains(bytes[index]) else {
            throw failure("expected a number for '\(name)'")
        }
        return try number()
    }

    /// `true` or `false` at the parser, else a refusal naming `name`.
    mutating func bool(for name: String) throws(Failure) -> Bool {
        guard index < bytes.count else { throw failure("the JSON ends too early") }
        switch bytes[index] {
        case 0x74:
            try literal("true")
            return true
        case 0x66:
            try literal("false")
            return false
        default: throw failure("expected true or false for '\(name)'")
        }
    }

    /// Reads `null` if it is at the parser (an optional member left empty).
    mutating func null() throws(Failure) -> Bool {
        guard index < bytes.count, bytes[index] == 0x6E else { return false }
        try literal("null")
        return true
    }

    /// A stamp (its text form) at the parser, else a refusal naming `name`.
    mutating func stamp(for name: String) throws(Failure) -> Stamp {
        if let stamp = plainStamp() { return stamp }
        let start = index
        let text = try string(for: name)
        guard let stamp = Stamp(text) else { throw Failure(offset: start, reason: "'\(name)' is not a stamp") }
        return stamp
    }

    /// A stamp in the form every stamp of ours has (``Stamp/fixedWidth(_:)``'s), its replica
    /// plain ASCII, read from the bytes: only the replica becomes a `String`. `nil`, the parser
    /// unmoved, for anything else (the general reading then decides).
    private mutating func plainStamp() -> Stamp? {
        let start = index + 1
        guard index < bytes.count, bytes[index] == 0x22, start + 27 <= bytes.count,
            bytes[start + 15] == 0x2D, bytes[start + 26] == 0x2D
        else { return nil }
        var physical: Int64 = 0
        for i in start..<start + 15 {
            let d = bytes[i] &- 0x30
            guard d < 10 else { return nil }
            physical = physical * 10 + Int64(d)
        }
        var counter: UInt64 = 0
        for i in start + 16..<start + 26 {
            let d = bytes[i] &- 0x30
            guard d < 10 else { return nil }
            counter = counter * 10 + UInt64(d)
        }
        guard let c = UInt32(exactly: counter) else { return nil }
        var end = start + 27
        while end < bytes.count, bytes[end] != 0x22 {
            // An escape, a control character (refused) or non-ASCII: the general reading.
            guard bytes[end] >= 0x20, bytes[end] < 0x80, bytes[end] != 0x5C else { return nil }
            end += 1
        }
        guard end < bytes.count else { return nil }
        index = end + 1
        let replica = String(decoding: UnsafeBufferPointer(rebasing: bytes[start + 27..<end]), as: UTF8.self)
        return Stamp(physical: physical, counter: c, replica: replica)
    }

    /// A member's key (and the `:` after it), as the index of the one of `names` it is, however
    /// written, or as itself. Keys without escapes are matched on their bytes: no `String` made.
    mutating func key(among names: [StaticString]) throws(Failure) -> MemberKey {
        skipSpace()
        guard index < bytes.count, bytes[index] == 0x22 else { throw failure("expected a quoted key") }
        var found: Int?
        for (i, name) in names.enumerated() where matches(name) {
            found = i
            index += name.utf8CodeUnitCount + 2
            break
        }
        let key: MemberKey
        if let found {
            key = .known(found)
        } else {
            let text = try string()
            key =
                names.firstIndex { $0.withUTF8Buffer { text.utf8.elementsEqual($0) } }.map { .known($0) }
                ?? .other(text)
        }
        skipSpace()
        guard index < bytes.count, bytes[index] == 0x3A else { throw failure("expected ':' after a key") }
        index += 1
        skipSpace()
        return key
    }

    /// Whether the quoted string at the parser is exactly `name`, unescaped.
    private func matches(_ name: StaticString) -> Bool {
        let n = name.utf8CodeUnitCount
        guard index + n + 1 < bytes.count, bytes[index + n + 1] == 0x22 else { return false }
        let start = name.utf8Start
        for i in 0..<n where bytes[index + 1 + i] != start[i] { return false }
        return true
    }
}

/// A member's key read by ``JSONParser/key(among:)``.
enum MemberKey {
    /// The index of the expected name it is.
    case known(Int)
    case other(String)
}

/// The keys of one object seen so far, to refuse one that appears twice (as ``JSONParser``
/// does), for an object read member by member: the expected ones as bits, others (rare) listed.
struct SeenKeys {
    private var known: UInt64 = 0
    private var others: [String] = []

    /// Notes `key`, one of `names` or not; a key seen before is refused.
    mutating func insert(
        _ key: MemberKey, of names: [StaticString], _ parser: JSONParser
    ) throws(JSONParser.Failure) {
        switch key {
        case .known(let i):
            let bit: UInt64 = 1 << UInt64(i & 63)
            guard known & bit == 0 else { throw parser.twice(names[i].description) }
            known |= bit
        case .other(let name):
            guard !others.contains(name) else { throw parser.twice(name) }
            others.append(name)
        }
    }
}

extension JSONParser {
    func twice(_ key: String) -> Failure {
        failure("the key '\(key.prefix(40))' appears twice in one object")
    }
}
