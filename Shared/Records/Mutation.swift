/// One local change, as kept in a replica's outbox and sent to the server.
///
/// The change itself is a *delta* record: the record holding only what this change wrote, with
/// the stamps of this change. Applying a mutation is merging its delta, so applying it twice, or
/// out of order with other mutations, gives the same result.
public struct Mutation: Sendable, Hashable, Codable, Identifiable {
    /// Unique id of this mutation; the server remembers it to ignore replays.
    public var id: String
    /// The replica that made the change.
    public var replica: String
    /// What changed.
    public var delta: Record
    /// The server sequence number the replica had seen for this record when it made the change
    /// (0 if none): the common base for three-way merges.
    public var base: Int64

    public init(id: String, replica: String, delta: Record, base: Int64 = 0) {
        self.id = id
        self.replica = replica
        self.delta = delta
        self.base = base
    }

    enum CodingKeys: String, CodingKey {
        case id, replica, delta, base
    }

    /// Decodes a mutation; `base` may be left out (0).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        replica = try c.decode(String.self, forKey: .replica)
        delta = try c.decode(Record.self, forKey: .delta)
        // Left out means 0; present means a number (null is refused, as the protocol says).
        base = c.contains(.base) ? try c.decode(Int64.self, forKey: .base) : 0
    }
}
