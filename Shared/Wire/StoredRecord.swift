extension Wire {
    /// A record as the server stores it: its state is already this wire's JSON (written by
    /// ``WireJSON``), so a pull page carries it as it is. Decoding each state and encoding it
    /// again was most of the server's work for a clone's pages.
    public struct StoredRecord: Sendable, Hashable {
        public var seq: Int64
        /// The record's wire JSON, as stored.
        public var state: String

        public init(seq: Int64, state: String) {
            self.seq = seq
            self.state = state
        }

        /// The record read from its state (for callers that need it typed, and tests).
        public func decoded() throws -> PulledRecord {
            PulledRecord(seq: seq, record: try WireJSON.decode(Record.self, from: state))
        }
    }
}

extension Wire.PullResponse {
    /// The bytes of the page holding `records` (as ``WireJSON`` writes a ``Wire/PullResponse``
    /// with the same records decoded: a test compares them), each state copied as stored.
    public static func bytes(
        stored records: [Wire.StoredRecord], cursor: String, more: Bool, acked: [String], teams: [String],
        total: Int?
    ) -> [UInt8] {
        var w = JSONWriter(capacity: records.reduce(256) { $0 + $1.state.utf8.count + 32 })
        write(to: &w, cursor: cursor, more: more, acked: acked, teams: teams, total: total) { w in
            w.beginArray()
            for (i, r) in records.enumerated() {
                if i > 0 { w.comma() }
                w.beginObject()
                w.key("record", first: true)
                w.bytes.append(contentsOf: r.state.utf8)
                w.key("seq", first: false)
                w.int(r.seq)
                w.endObject()
            }
            w.endArray()
        }
        return w.bytes
    }
}

extension Wire.PullResponse {
    /// A page decoded as ``WireJSON`` decodes it, with each record's JSON text as the server sent
    /// it: a replica stores that text instead of writing the decoded record out again (a third
    /// of a clone's apply). The text parsed strictly into that very record, so it means the same.
    /// Read by ``PullPageReader``, straight into the typed records.
    public static func decodeKeepingStates(_ bytes: [UInt8]) throws -> (page: Wire.PullResponse, states: [String]) {
        do {
            return try PullPageReader.read(bytes, maxDepth: 512)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "The pull page could not be read: \(error)"))
        }
    }
}
