/// Writes the wire's JSON form directly into bytes: the same bytes Foundation's `JSONEncoder`
/// makes with `[.sortedKeys, .withoutEscapingSlashes]` (a seeded test compares them), without its
/// boxing of every value through `Encoder` containers — which cost a third of a push's CPU.
///
/// Only the types every push and pull carries write themselves (``WireWritable``); anything else
/// still goes through `JSONEncoder` in ``WireJSON``.
public struct JSONWriter: Sendable {
    public internal(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string: `"` and `\` escaped, control characters as `\n`-style escapes or `\u00xx`,
    /// everything else (slashes, DEL, non-ASCII) as its UTF-8 bytes.
    public mutating func string(_ s: String) {
        bytes.append(0x22)
        contents(of: s)
        bytes.append(0x22)
    }

    /// A string's escaped bytes, without the quotes.
    mutating func contents(of s: String) {
        var s = s
        s.withUTF8 { utf8 in
            var start = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                if start < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i])) }
                start = i + 1
                bytes.append(0x5C)
                switch b {
                case 0x22: bytes.append(0x22)
                case 0x5C: bytes.append(0x5C)
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                default:
                    bytes.append(contentsOf: [
                        UInt8(ascii: "u"), 0x30, 0x30, Self.hex[Int(b >> 4)], Self.hex[Int(b & 15)],
                    ])
                }
            }
            if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
        }
    }

    /// Bytes that are already wire JSON (a value this writer wrote earlier), as they are.
    public mutating func raw(_ json: [UInt8]) {
        bytes.append(contentsOf: json)
    }

    public mutating func int(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var n = value.magnitude
        // Up to 20 digits, written backwards into a fixed buffer.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var i = 20
            repeat {
                i -= 1
                digits[i] = 0x30 + UInt8(n % 10)
                n /= 10
            } while n > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i..<20]))
        }
    }

    public mutating func bool(_ value: Bool) {
        bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
    }

    public mutating func null() {
        bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
    }

    /// `{`, then each member through ``key(_:first:)`` and its value, then ``endObject()``.
    public mutating func beginObject() { bytes.append(0x7B) }
    public mutating func endObject() { bytes.append(0x7D) }
    public mutating func beginArray() { bytes.append(0x5B) }
    public mutating func endArray() { bytes.append(0x5D) }
    public mutating func comma() { bytes.append(0x2C) }

    /// A member's key and colon, preceded by a comma unless it is the object's first.
    public mutating func key(_ name: String, first: Bool) {
        if !first { bytes.append(0x2C) }
        string(name)
        bytes.append(0x3A)
    }

    /// An array of writable values.
    public mutating func array<T: WireWritable>(_ values: [T]) {
        beginArray()
        for (i, v) in values.enumerated() {
            if i > 0 { comma() }
            v.write(to: &self)
        }
        endArray()
    }

    /// An array of strings.
    public mutating func array(_ values: [String]) {
        beginArray()
        for (i, v) in values.enumerated() {
            if i > 0 { comma() }
            string(v)
        }
        endArray()
    }

    /// An object with keys in the encoder's sorted order: byte-wise by UTF-8 (not Swift's `<`,
    /// which compares canonically equivalent forms as equal).
    public mutating func object<T>(_ values: [String: T], _ write: (inout JSONWriter, T) -> Void) {
        beginObject()
        var first = true
        // The pairs sorted, not the keys then each looked up again (hashing every key twice more
        // was a fifth of encoding a record, which a clone does for every record it pulls).
        for (key, value) in values.sorted(by: { Self.precedes($0.key, $1.key) }) {
            self.key(key, first: first)
            first = false
            write(&self, value)
        }
        endObject()
    }

    /// Byte-wise UTF-8 order over the strings' contiguous bytes (`utf8.lexicographicallyPrecedes`
    /// gives the same answer through a generic index walk, several times slower).
    public static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = min(x.count, y.count)
                var i = 0
                while i < n {
                    if x[i] != y[i] { return x[i] < y[i] }
                    i += 1
                }
                return x.count < y.count
            }
        }
    }
}

/// A value that writes its own wire JSON (the same bytes `JSONEncoder` makes from its `Encodable`
/// conformance, which stays the definition).
public protocol WireWritable: Encodable {
    func write(to writer: inout JSONWriter)
}
