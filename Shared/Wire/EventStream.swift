extension Wire {
    /// One Server-Sent Event: its `event:` name (`message` when none) and its `data:` lines.
    public struct ServerEvent: Sendable, Hashable {
        public var name: String
        public var data: String
        public init(name: String, data: String) {
            self.name = name
            self.data = data
        }
    }

    /// Splits a `text/event-stream` into events as bytes arrive (the subset of the W3C format the
    /// server writes: `event:`, `data:`, `retry:`, comments; lines end with LF, CRLF or CR).
    /// Bounded: a line longer than `maxLine` bytes is dropped, and an event whose data lines
    /// come to more than `maxEvent` bytes is dropped whole, so a hostile server cannot make the
    /// client hold an endless line or an endless event.
    public struct EventStreamParser: Sendable {
        public static let maxLine = 64 * 1024
        /// A poke's head and its page (``Events/maxPokeBytes``) fit well within it.
        public static let maxEvent = 2 * maxLine
        private var line: [UInt8] = []
        private var overlong = false
        private var lastWasCR = false
        private var name = ""
        private var data: [String] = []
        private var dataBytes = 0
        private var oversize = false

        public init() {}

        /// Feeds bytes; returns the events they complete.
        public mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerEvent] {
            var events: [ServerEvent] = []
            for byte in bytes {
                if byte == UInt8(ascii: "\n") && lastWasCR {
                    lastWasCR = false
                    continue
                }
                lastWasCR = byte == UInt8(ascii: "\r")
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                    if let event = endLine() { events.append(event) }
                    continue
                }
                if line.count < Self.maxLine { line.append(byte) } else { overlong = true }
            }
            return events
        }

        private mutating func endLine() -> ServerEvent? {
            defer {
                line.removeAll(keepingCapacity: true)
                overlong = false
            }
            if overlong { return nil }
            if line.isEmpty {
                defer {
                    name = ""
                    data = []
                    dataBytes = 0
                    oversize = false
                }
                guard !oversize, !data.isEmpty else { return nil }
                return ServerEvent(name: name.isEmpty ? "message" : name, data: data.joined(separator: "\n"))
            }
            let text = String(decoding: line, as: UTF8.self)
            if text.hasPrefix(":") { return nil }
            let field: Substring
            var value: Substring
            if let colon = text.firstIndex(of: ":") {
                field = text[..<colon]
                value = text[text.index(after: colon)...]
                if value.hasPrefix(" ") { value = value.dropFirst() }
            } else {
                field = Substring(text)
                value = ""
            }
            switch field {
            case "event": name = String(value)
            case "data":
                // Counted only until the event is oversize, so the sum stays under
                // `maxEvent + maxLine + 1` however many lines follow.
                guard !oversize else { break }
                dataBytes += value.utf8.count + 1
                if dataBytes > Self.maxEvent {
                    oversize = true
                    data = []
                } else {
                    data.append(String(value))
                }
            default: break
            }
            return nil
        }
    }
}
