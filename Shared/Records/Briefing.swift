/// A typed view of a briefing record.
public struct Briefing: Sendable, Hashable, Codable, Identifiable {
    /// Lifecycle of a briefing.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case draft, published, archived
    }

    public var id: String
    public var title: String
    public var source: String?
    public var date: String?
    public var status: Status
    public var team: String?
    public var tags: [String]
    public var sections: [Section]

    public init(
        id: String, title: String, source: String? = nil, date: String? = nil, status: Status = .draft,
        team: String? = nil, tags: [String] = [], sections: [Section]
    ) {
        self.id = id
        self.title = title
        self.source = source
        self.date = date
        self.status = status
        self.team = team
        self.tags = tags
        self.sections = sections
    }

    /// Field names used in the record.
    public enum Field {
        public static let title = "title"
        public static let source = "source"
        public static let date = "date"
        public static let status = "status"
        public static let team = "team"
        public static let sections = "sections"
        /// The fields besides the `section.KEY.heading|text` pairs: the server refuses others.
        public static let scalars: Set<String> = [title, source, date, status, team, sections]
        public static func heading(_ key: String) -> String { "section.\(key).heading" }
        public static func text(_ key: String) -> String { "section.\(key).text" }
        /// The Markdown heading level (1–6) of a section, when the document had one.
        public static func level(_ key: String) -> String { "section.\(key).level" }
        /// The section key of a `section.KEY.text` field name; `nil` for other fields.
        public static func sectionKey(ofText field: String) -> String? {
            guard field.hasPrefix("section."), field.hasSuffix(".text"), field.count > 13 else { return nil }
            return String(field.dropFirst(8).dropLast(5))
        }
    }

    /// Reads a briefing from its record; `nil` if the record is not a briefing.
    public init?(record: Record) {
        guard record.kind == .briefing else { return nil }
        id = record.id
        title = record[Field.title]?.string ?? ""
        source = record[Field.source]?.string
        date = record[Field.date]?.string
        status = record[Field.status]?.string.flatMap(Status.init(rawValue:)) ?? .draft
        team = record[Field.team]?.string
        tags = record.tags.elements
        sections = (record[Field.sections]?.strings ?? []).map { key in
            Section(
                key: key,
                heading: record[Field.heading(key)]?.string ?? "",
                text: record[Field.text(key)]?.string ?? "",
                level: record[Field.level(key)]?.int.flatMap { (1...6).contains($0) ? Int($0) : nil })
        }
    }

    /// The record holding this briefing, every field stamped with `stamp`.
    public func record(at stamp: Stamp) -> Record {
        var r = Record(id: id, kind: .briefing)
        r.set(Field.title, .string(title), at: stamp)
        if let source { r.set(Field.source, .string(source), at: stamp) }
        if let date { r.set(Field.date, .string(date), at: stamp) }
        r.set(Field.status, .string(status.rawValue), at: stamp)
        if let team { r.set(Field.team, .string(team), at: stamp) }
        r.set(Field.sections, .array(sections.map { .string($0.key) }), at: stamp)
        for s in sections {
            r.set(Field.heading(s.key), .string(s.heading), at: stamp)
            r.set(Field.text(s.key), .string(s.text), at: stamp)
            if let level = s.level { r.set(Field.level(s.key), .int(Int64(level)), at: stamp) }
        }
        for tag in tags { r.tags.add(tag, at: stamp) }
        return r
    }

    /// The section with `key`, or whose heading matches `name` case-insensitively.
    public func section(named name: String) -> Section? { sections.first(named: name) }
}

/// One section of a briefing: a stable key (never changes after import), a heading and its text.
public struct Section: Sendable, Hashable, Codable {
    public var key: String
    public var heading: String
    public var text: String
    /// The heading's Markdown level (`##` is 2), `nil` for plain-text headings and text before
    /// the first heading. Kept so a parent heading stays a parent, not an empty sibling.
    public var level: Int?

    public init(key: String, heading: String, text: String, level: Int? = nil) {
        self.key = key
        self.heading = heading
        self.text = text
        self.level = level
    }

    enum CodingKeys: String, CodingKey { case key, heading, text, level }

    /// A missing level is `null` in JSON, not an absent key.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encode(heading, forKey: .heading)
        try c.encode(text, forKey: .text)
        try c.encode(level, forKey: .level)
    }
}

extension [Section] {
    /// The section with key `name`, else the first whose heading matches it case-insensitively.
    public func first(named name: String) -> Section? {
        if let s = first(where: { $0.key == name }) { return s }
        let folded = name.lowercased()
        if let s = first(where: { $0.heading.lowercased() == folded }) { return s }
        // A unique prefix of a heading or key, case-insensitive ("key" for "Key Topics").
        let candidates = filter { $0.heading.lowercased().hasPrefix(folded) || $0.key.hasPrefix(folded) }
        return candidates.count == 1 ? candidates[0] : nil
    }
}
