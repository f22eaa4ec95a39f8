extension Wire {
    /// One identity rule for both sides: what an identifier or a name may hold, checked before
    /// any work, compared byte for byte afterwards (`docs/protocol.md`, Limits).
    public enum Validation {
        /// Longest record, mutation or replica id, in bytes.
        public static let maxIdentifierBytes = 128
        /// Longest user or team name, in bytes.
        public static let maxNameBytes = 64
        /// Shortest and longest password, in characters and bytes.
        public static let minPasswordCharacters = 8
        public static let maxPasswordBytes = 1_024

        /// Why `password` cannot be a new password (`nil` if it can): 8 characters or more, at
        /// most 1,024 bytes (hashing work is bounded), no NUL or other control character.
        public static func passwordProblem(_ password: String) -> String? {
            guard password.count >= minPasswordCharacters else {
                return "the new password needs at least \(minPasswordCharacters) characters"
            }
            guard password.utf8.count <= maxPasswordBytes else {
                return "the new password is over \(maxPasswordBytes) bytes"
            }
            guard !password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                return "the new password holds a control character (a NUL, a tab or a line break)"
            }
            return nil
        }

        /// Longest tag, in bytes.
        public static let maxTagBytes = 64
        /// Largest stamp counter a replica can reach honestly (a million changes within one
        /// millisecond); larger ones come from a broken or hostile peer and are refused.
        public static let maxStampCounter: UInt32 = 1_000_000

        /// Why `id` is not a valid record, mutation or replica id (`nil` if it is): 1–128 ASCII
        /// letters, digits, `-`, `_`, `.` or `:`. ASCII only, so no two ids are canonically equal
        /// while differing in bytes, and no NUL can cut one short in a database.
        public static func identifierProblem(_ id: String, what: String) -> String? {
            let bytes = id.utf8
            guard !bytes.isEmpty else { return "\(what) is empty" }
            guard bytes.count <= maxIdentifierBytes else {
                return "\(what) is \(bytes.count) bytes long; at most \(maxIdentifierBytes)"
            }
            for b in bytes {
                let ok =
                    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                    || b == 0x2D || b == 0x5F || b == 0x2E || b == 0x3A
                if !ok {
                    return
                        "\(what) may hold only ASCII letters, digits, '-', '_', '.' and ':' (found byte 0x\(String(b, radix: 16)))"
                }
            }
            return nil
        }

        /// Why `name` is not a valid user or team name (`nil` if it is): 1–64 bytes of UTF-8, no
        /// control or format characters (NUL included), no `/`, no space at either end.
        public static func nameProblem(_ name: String, what: String) -> String? {
            guard !name.isEmpty else { return "\(what) is empty" }
            guard name.utf8.count <= maxNameBytes else {
                return "\(what) is \(name.utf8.count) bytes long; at most \(maxNameBytes)"
            }
            if let bad = name.unicodeScalars.first(where: isControlOrFormat) {
                return "\(what) holds the control character U+\(hex(bad.value)); use printable characters only"
            }
            guard !name.contains("/") else { return "\(what) may not contain '/'" }
            guard name.first != " ", name.last != " " else { return "\(what) may not start or end with a space" }
            return nil
        }

        /// Why `tag` is not a valid tag (`nil` if it is): 1–64 bytes, no spaces, commas or
        /// control characters.
        public static func tagProblem(_ tag: String) -> String? {
            guard !tag.isEmpty, tag.utf8.count <= maxTagBytes else { return "a tag must be 1 to \(maxTagBytes) bytes" }
            guard !tag.unicodeScalars.contains(where: { isControlOrFormat($0) || $0 == " " || $0 == "," }) else {
                return "tag '\(tag.debugDescription)' holds a space, a comma or a control character"
            }
            return nil
        }

        /// Why `stamp` cannot be accepted from the wire (`nil` if it can).
        public static func stampProblem(_ stamp: Stamp) -> String? {
            if stamp.counter > maxStampCounter {
                return "stamp \(stamp) has a counter over \(maxStampCounter); no honest clock makes one"
            }
            if let problem = identifierProblem(stamp.replica, what: "the replica of stamp \(stamp)") { return problem }
            return nil
        }

        static func isControlOrFormat(_ s: Unicode.Scalar) -> Bool {
            switch s.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse:
                return true
            default:
                return false
            }
        }

        static func hex(_ v: UInt32) -> String {
            let h = String(v, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, 4 - h.count)) + h
        }
    }
}
