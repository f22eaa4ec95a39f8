import BriefSyncModel

/// One row of `brief list`.
public struct BriefingSummary: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var sections: Int
    public var annotations: Int
    public var tags: [String]
    /// ISO 8601, UTC, of the latest change.
    public var updated: String
}

/// An annotation as `brief show` presents it.
public struct AnnotationView: Sendable, Hashable, Codable {
    public var id: String
    public var kind: String
    public var quote: String
    public var note: String
    public var tags: [String]
    /// The section it lies in now (where it was made, for an orphan).
    public var section: String
    /// Where it stands after the briefing's latest edits: anchored, moved, fuzzy (needs
    /// confirmation), ambiguous or orphan (`docs/anchoring.md`).
    public var status: String
    public var author: String
    /// The quote it was first made on, when it has been re-anchored or confirmed since.
    public var origin: String?
    public var parent: String?
    public var state: String?
    /// Code-point range of the quote in the section's current text; `nil` for an orphan.
    public var start: Int?
    public var end: Int?
}

/// A briefing with its annotations, as `brief show` presents it.
public struct BriefingDetail: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var status: String
    public var team: String?
    public var source: String?
    public var date: String?
    public var tags: [String]
    public var sections: [Section]
    public var annotations: [AnnotationView]
    /// Open conflicts on the briefing or its annotations.
    public var conflicts: [ConflictView]

    enum CodingKeys: String, CodingKey {
        case id, title, status, team, source, date, tags, sections, annotations, conflicts
    }

    /// Missing values are `null` in `--json`, not absent keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(title, forKey: .title)
        try c.encode(status, forKey: .status)
        try c.encode(team, forKey: .team)
        try c.encode(source, forKey: .source)
        try c.encode(date, forKey: .date)
        try c.encode(tags, forKey: .tags)
        try c.encode(sections, forKey: .sections)
        try c.encode(annotations, forKey: .annotations)
        try c.encode(conflicts, forKey: .conflicts)
    }
}

/// One `brief search` hit.
public struct SearchHit: Sendable, Hashable, Codable {
    public var id: String
    public var briefing: String
    public var title: String
    public var kind: String
    public var field: String
    public var snippet: String
}

/// What `brief status` reports.
public struct ReplicaStatus: Sendable, Hashable, Codable {
    public var path: String
    public var replica: String
    public var name: String
    public var briefings: Int
    public var annotations: Int
    public var pending: Int
    /// Changes the server refused (kept in the replica's `rejected` table).
    public var rejected: Int
    /// Open conflicts (`brief conflicts`).
    public var conflicts: Int
    /// Tokens of earlier sessions whose revocation the server has not confirmed yet.
    public var revokePending: Int
    public var server: String?
    public var user: String?
    public var team: String?
    public var lastSync: String?
    public var lastError: String?

    /// Missing values are `null` in `--json`, not absent keys: scripts read one shape.
    public func encode(to encoder: any Encoder) throws {
        enum Key: String, CodingKey {
            case path, replica, name, briefings, annotations, pending, rejected, conflicts, revokePending, server, user
            case team, lastSync, lastError
        }
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(path, forKey: .path)
        try c.encode(replica, forKey: .replica)
        try c.encode(name, forKey: .name)
        try c.encode(briefings, forKey: .briefings)
        try c.encode(annotations, forKey: .annotations)
        try c.encode(pending, forKey: .pending)
        try c.encode(rejected, forKey: .rejected)
        try c.encode(conflicts, forKey: .conflicts)
        try c.encode(revokePending, forKey: .revokePending)
        try c.encode(server, forKey: .server)
        try c.encode(user, forKey: .user)
        try c.encode(team, forKey: .team)
        try c.encode(lastSync, forKey: .lastSync)
        try c.encode(lastError, forKey: .lastError)
    }
}
