extension Wire {
    /// A single pass over JSON bytes that measures nesting depth and array lengths before any
    /// decoding, so a hostile body is refused for the price of reading it once (the decoders'
    /// cost grows faster than linearly with depth).
    public struct JSONScan: Sendable, Hashable {
        /// Deepest nesting of objects and arrays (a flat object is 1).
        public var depth = 0
        /// Longest array anywhere in the document.
        public var longestArray = 0
        /// Number of values (scalars, objects and arrays).
        public var values = 0

        /// Scans `bytes`, stopping early once `maxDepth` is exceeded (`depth` is then
        /// `maxDepth + 1`). It checks shape only, not validity: the decoder does that afterwards.
        public static func scan<C: Collection<UInt8>>(_ bytes: C, maxDepth: Int) -> JSONScan {
            var out = JSONScan()
            // Per open container: whether it is an array, its element count, whether a value may start.
            var stack: [(array: Bool, count: Int, expecting: Bool)] = []
            var inString = false
            var escaped = false
            var inScalar = false
            for b in bytes {
                if inString {
                    if escaped {
                        escaped = false
                    } else if b == 0x5C {
                        escaped = true
                    } else if b == 0x22 {
                        inString = false
                    }
                    continue
                }
                switch b {
                case 0x20, 0x0A, 0x0D, 0x09:
                    inScalar = false
                case 0x2C:  // ,
                    inScalar = false
                    if !stack.isEmpty, stack[stack.count - 1].array { stack[stack.count - 1].expecting = true }
                case 0x3A:  // :
                    inScalar = false
                case 0x5D, 0x7D:  // ] }
                    inScalar = false
                    if let top = stack.popLast(), top.array { out.longestArray = max(out.longestArray, top.count) }
                default:
                    let opens = b == 0x5B || b == 0x7B
                    if opens || b == 0x22 || !inScalar {
                        // A value starts here.
                        out.values &+= 1
                        if !stack.isEmpty, stack[stack.count - 1].array, stack[stack.count - 1].expecting {
                            stack[stack.count - 1].count += 1
                            stack[stack.count - 1].expecting = false
                        }
                    }
                    if opens {
                        inScalar = false
                        stack.append((b == 0x5B, 0, b == 0x5B))
                        out.depth = max(out.depth, stack.count)
                        if stack.count > maxDepth { return out }
                    } else if b == 0x22 {
                        inString = true
                        inScalar = false
                    } else {
                        inScalar = true
                    }
                }
            }
            return out
        }
    }
}
