/// A hybrid logical clock reading: wall time in milliseconds, a logical counter and the replica
/// that made it.
///
/// Stamps are totally ordered: by physical time, then counter, then replica id. Two stamps made by
/// different replicas are never equal, so last-writer-wins has exactly one winner. A stamp encodes
/// as a fixed-width string whose byte order is the stamp order, so it sorts correctly in SQL too.
public struct Stamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970 (wall clock, possibly advanced by the logical part).
    public var physical: Int64
    /// Logical counter that orders events within one physical millisecond.
    public var counter: UInt32
    /// The replica that issued the stamp.
    public var replica: String

    public init(physical: Int64, counter: UInt32, replica: String) {
        self.physical = physical
        self.counter = counter
        self.replica = replica
    }

    /// The smallest stamp; precedes every real stamp.
    public static let zero = Stamp(physical: 0, counter: 0, replica: "")

    public static func < (a: Stamp, b: Stamp) -> Bool {
        if a.physical != b.physical { return a.physical < b.physical }
        if a.counter != b.counter { return a.counter < b.counter }
        return a.replica < b.replica
    }

    /// `PPPPPPPPPPPPPPP-CCCCCCCCCC-replica`: 15 digits of milliseconds, 10 of counter.
    public var description: String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(27 + replica.utf8.count)
        guard appendFixedText(to: &bytes) else {
            let p = String(physical)
            return String(repeating: "0", count: max(0, 15 - p.count)) + p + "-"
                + String(repeating: "0", count: max(0, 10 - String(counter).count)) + String(counter) + "-" + replica
        }
        bytes.append(contentsOf: replica.utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the text form's part before the replica, `PPPPPPPPPPPPPPP-CCCCCCCCCC-`, built as
    /// bytes (it is written for every stamp of every record stored or sent); `false`, appending
    /// nothing, when the time has no 15-digit form (negative or too large: it never parses back).
    func appendFixedText(to bytes: inout [UInt8]) -> Bool {
        guard physical >= 0, physical < 1_000_000_000_000_000 else { return false }
        func digits(_ value: UInt64, _ width: Int) {
            let end = bytes.count + width
            bytes.append(contentsOf: repeatElement(0x30, count: width))
            var n = value
            var i = end
            while n > 0 {
                i -= 1
                bytes[i] = 0x30 + UInt8(n % 10)
                n /= 10
            }
        }
        digits(UInt64(physical), 15)
        bytes.append(0x2D)
        digits(UInt64(counter), 10)
        bytes.append(0x2D)
        return true
    }

    /// Parses the form written by ``description``; `nil` if malformed.
    public init?(_ text: String) {
        if let stamp = Self.fixedWidth(text) {
            self = stamp
            return
        }
        let parts = text.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 15, parts[1].count == 10,
            let p = Int64(parts[0]), let c = UInt32(parts[1]), p >= 0
        else { return nil }
        self.init(physical: p, counter: c, replica: String(parts[2]))
    }

    /// The form ``description`` writes, read from the bytes when both numbers are plain ASCII
    /// digits in place (every stamp of ours); anything else is left to the general parse, which
    /// gives the same answer for these. Splitting the string was a tenth of decoding a pull page.
    static func fixedWidth(_ text: String) -> Stamp? {
        let found = text.utf8.withContiguousStorageIfAvailable { b -> Stamp? in
            guard b.count >= 27, b[15] == 0x2D, b[26] == 0x2D else { return nil }
            var physical: Int64 = 0
            for i in 0..<15 {
                let d = b[i] &- 0x30
                guard d < 10 else { return nil }
                physical = physical * 10 + Int64(d)
            }
            var counter: UInt64 = 0
            for i in 16..<26 {
                let d = b[i] &- 0x30
                guard d < 10 else { return nil }
                counter = counter * 10 + UInt64(d)
            }
            guard let c = UInt32(exactly: counter) else { return nil }
            let replica = String(decoding: UnsafeBufferPointer(rebasing: b[27...]), as: UTF8.self)
            return Stamp(physical: physical, counter: c, replica: replica)
        }
        return found ?? nil
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let stamp = Stamp(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a stamp: \(text)"))
        }
        self = stamp
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
