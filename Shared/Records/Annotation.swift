/// A typed view of an annotation record: a highlight, note, question or watch item anchored to a
/// quote in a briefing, or a reply to another annotation.
public struct Annotation: Sendable, Hashable, Codable, Identifiable {
    /// What kind of annotation this is.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case highlight, note, question, watch
    }

    /// State of a watch item.
    public enum WatchState: String, Sendable, Hashable, Codable, CaseIterable {
        case open, closed
    }

    public var id: String
    public var briefing: String
    public var kind: Kind
    public var anchor: Anchor?
    public var note: String
    public var tags: [String]
    public var author: String
    public var parent: String?
    public var state: WatchState?
    /// The anchor the annotation was first made on, kept when it is re-anchored or a fuzzy
    /// place is confirmed: the original quote is never overwritten.
    public var origin: Anchor?

    public init(
        id: String, briefing: String, kind: Kind, anchor: Anchor?, note: String = "", tags: [String] = [],
        author: String, parent: String? = nil, state: WatchState? = nil
    ) {
        self.id = id
        self.briefing = briefing
        self.kind = kind
        self.anchor = anchor
        self.note = note
        self.tags = tags
        self.author = author
        self.parent = parent
        self.state = state
    }

    /// Field names used in the record.
    public enum Field {
        public static let briefing = "briefing"
        public static let kind = "kind"
        public static let anchor = "anchor"
        public static let note = "note"
        public static let author = "author"
        public static let parent = "parent"
        public static let state = "state"
        public static let origin = "origin"
        /// Every field an annotation has: the server refuses any other.
        public static let all: Set<String> = [briefing, kind, anchor, note, author, parent, state, origin]
    }

    /// Reads an annotation from its record; `nil` if the record is not an annotation.
    public init?(record: Record) {
        guard record.kind == .annotation else { return nil }
        id = record.id
        briefing = record[Field.briefing]?.string ?? ""
        kind = record[Field.kind]?.string.flatMap(Kind.init(rawValue:)) ?? .note
        anchor = record[Field.anchor].flatMap(Anchor.init(json:))
        note = record[Field.note]?.string ?? ""
        tags = record.tags.elements
        author = record[Field.author]?.string ?? ""
        parent = record[Field.parent]?.string
        state = record[Field.state]?.string.flatMap(WatchState.init(rawValue:))
        origin = record[Field.origin].flatMap(Anchor.init(json:))
    }

    /// The record holding this annotation, every field stamped with `stamp`.
    public func record(at stamp: Stamp) -> Record {
        var r = Record(id: id, kind: .annotation)
        r.set(Field.briefing, .string(briefing), at: stamp)
        r.set(Field.kind, .string(kind.rawValue), at: stamp)
        if let anchor { r.set(Field.anchor, anchor.json, at: stamp) }
        r.set(Field.note, .string(note), at: stamp)
        r.set(Field.author, .string(author), at: stamp)
        if let parent { r.set(Field.parent, .string(parent), at: stamp) }
        if let state { r.set(Field.state, .string(state.rawValue), at: stamp) }
        if let origin { r.set(Field.origin, origin.json, at: stamp) }
        for tag in tags { r.tags.add(tag, at: stamp) }
        return r
    }
}
