extension Wire {
    /// Sequence numbers as ascending ranges, written `5-9,12,20-21`: the versions a replica
    /// already holds from push answers (a pull's `have`), so the server leaves them out.
    ///
    /// Hostile input: at most ``maxRanges`` ranges and ``maxText`` bytes, digits only, each range
    /// ascending and after the one before; anything else is refused whole (`nil`).
    public struct SeqRanges: Sendable, Hashable, CustomStringConvertible {
        /// The pull query parameter that carries them.
        public static let queryName = "have"
        public static let maxRanges = 64
        /// 64 ranges of two 19-digit numbers, with separators.
        public static let maxText = 64 * 40

        /// Inclusive ranges, ascending, neither overlapping nor touching.
        public private(set) var ranges: [ClosedRange<Int64>] = []

        public init() {}

        /// The given numbers (any order, repeats ignored) as ranges; when they need more than
        /// ``maxRanges``, the highest ranges are kept (the newest versions are the ones a pull
        /// is about to meet).
        public init<S: Sequence>(_ seqs: S) where S.Element == Int64 {
            for seq in Set(seqs).sorted() where seq > 0 {
                if let last = ranges.last, last.upperBound &+ 1 == seq {
                    ranges[ranges.count - 1] = last.lowerBound...seq
                } else {
                    ranges.append(seq...seq)
                }
            }
            if ranges.count > Self.maxRanges { ranges.removeFirst(ranges.count - Self.maxRanges) }
        }

        /// Parses `A-B,C,…`; `nil` for anything else.
        public init?(_ text: String) {
            guard text.utf8.count <= Self.maxText, !text.isEmpty else { return nil }
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                let ends = part.split(separator: "-", omittingEmptySubsequences: false)
                guard ranges.count < Self.maxRanges, (1...2).contains(ends.count),
                    ends.allSatisfy({
                        !$0.isEmpty && $0.utf8.count <= 19 && $0.utf8.allSatisfy { (48...57).contains($0) }
                    }),
                    let low = Int64(ends[0]), let high = Int64(ends[ends.count - 1]), low >= 1, low <= high
                else { return nil }
                if let last = ranges.last, last.upperBound >= low { return nil }
                ranges.append(low...high)
            }
        }

        public var isEmpty: Bool { ranges.isEmpty }

        /// Whether `seq` is in one of the ranges (binary search).
        public func contains(_ seq: Int64) -> Bool {
            var low = 0
            var high = ranges.count
            while low < high {
                let mid = (low + high) / 2
                if ranges[mid].upperBound < seq {
                    low = mid + 1
                } else if ranges[mid].lowerBound > seq {
                    high = mid
                } else {
                    return true
                }
            }
            return false
        }

        public var description: String {
            ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
                .joined(separator: ",")
        }
    }
}
