/// Random identifiers for records and mutations.
///
/// Records use random (version 4) UUIDs rather than time-ordered version 7: people type short
/// prefixes of ids, and in a v7 id the first 12 hex digits are a timestamp, so records made in the
/// same minute would share their first 8 characters.
public enum Identifier {
    /// A lowercase version 4 UUID such as `3f2a9c1e-…`.
    public static func uuid<G: RandomNumberGenerator>(using generator: inout G) -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { b in String(b, radix: 16).leftPadded(to: 2) }.joined()
        let parts = [
            hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4),
            hex.dropFirst(20),
        ]
        return parts.joined(separator: "-")
    }

    /// The first 8 characters, as shown to people.
    public static func short(_ id: String) -> String { String(id.prefix(8)) }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
