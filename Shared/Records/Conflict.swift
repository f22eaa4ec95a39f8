/// A typed view of a conflict record: two concurrent edits of one text field that did not merge.
///
/// The record keeps the winner's text (by stamp); the conflict keeps the common base and both
/// sides with their authors and stamps, so nothing is lost, and is synced like any record: every
/// member sees it, and resolving it on one replica resolves it everywhere.
public struct Conflict: Sendable, Hashable, Codable, Identifiable {
    /// One side of the clash.
    public struct Side: Sendable, Hashable, Codable {
        public var text: String
        public var author: String
        public var stamp: Stamp
        public init(text: String, author: String, stamp: Stamp) {
            self.text = text
            self.author = author
            self.stamp = stamp
        }
    }

    public enum Status: String, Sendable, Hashable, Codable { case open, resolved }

    public var id: String
    /// The record whose field clashed.
    public var record: String
    /// The briefing it belongs to (the record itself, or the annotation's briefing).
    public var briefing: String
    public var field: String
    public var base: String
    /// The side whose text is in the record.
    public var winner: Side
    /// The other side.
    public var loser: Side
    public var status: Status
    public var resolution: String?

    public enum Field {
        public static let record = "record", briefing = "briefing", field = "field", base = "base"
        public static let winner = "winner", loser = "loser", status = "status", resolution = "resolution"
        /// Every field of a conflict record.
        public static let all: Set<String> = [record, briefing, field, base, winner, loser, status, resolution]
    }

    public init(
        id: String, record: String, briefing: String, field: String, base: String, winner: Side, loser: Side,
        status: Status = .open, resolution: String? = nil
    ) {
        self.id = id
        self.record = record
        self.briefing = briefing
        self.field = field
        self.base = base
        self.winner = winner
        self.loser = loser
        self.status = status
        self.resolution = resolution
    }

    public init?(record r: Record) {
        guard r.kind == .conflict, let w = r[Field.winner].flatMap(Side.init(json:)),
            let l = r[Field.loser].flatMap(Side.init(json:))
        else { return nil }
        id = r.id
        record = r[Field.record]?.string ?? ""
        briefing = r[Field.briefing]?.string ?? ""
        field = r[Field.field]?.string ?? ""
        base = r[Field.base]?.string ?? ""
        winner = w
        loser = l
        status = r[Field.status]?.string.flatMap(Status.init(rawValue:)) ?? .open
        resolution = r[Field.resolution]?.string
    }

    public func record(at stamp: Stamp) -> Record {
        var r = Record(id: id, kind: .conflict)
        r.set(Field.record, .string(record), at: stamp)
        r.set(Field.briefing, .string(briefing), at: stamp)
        r.set(Field.field, .string(field), at: stamp)
        r.set(Field.base, .string(base), at: stamp)
        r.set(Field.winner, winner.json, at: stamp)
        r.set(Field.loser, loser.json, at: stamp)
        r.set(Field.status, .string(status.rawValue), at: stamp)
        if let resolution { r.set(Field.resolution, .string(resolution), at: stamp) }
        return r
    }
}

extension Conflict.Side {
    var json: JSONValue {
        .object(["text": .string(text), "author": .string(author), "stamp": .string(stamp.description)])
    }

    init?(json: JSONValue) {
        guard case .object(let o) = json, let text = o["text"]?.string, let author = o["author"]?.string,
            let stamp = o["stamp"]?.string.flatMap(Stamp.init)
        else { return nil }
        self.init(text: text, author: author, stamp: stamp)
    }
}
