/// A versioned record: the unit of storage, sync and merge.
///
/// Every field is its own last-writer-wins ``Register``; tags are an add-wins ``TagSet``; deletion
/// is a tombstone stamp, never a physical delete. A record is a state-based CRDT: ``merge(_:_:)``
/// is commutative, associative and idempotent, so replicas that have seen the same writes hold the
/// same record whatever order they saw them in. A *delta* (what a mutation carries) is simply a
/// record holding only the changed parts.
public struct Record: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var kind: RecordKind
    /// Field name → register. Field names are defined by ``Briefing`` and ``Annotation``.
    public var fields: [String: Register]
    public var tags: TagSet
    /// The stamp of the latest deletion, if the record was deleted.
    public var deleted: Stamp?

    public init(
        id: String, kind: RecordKind, fields: [String: Register] = [:], tags: TagSet = TagSet(), deleted: Stamp? = nil
    ) {
        self.id = id
        self.kind = kind
        self.fields = fields
        self.tags = tags
        self.deleted = deleted
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, fields, tags, deleted
    }

    /// Decodes a record; `fields`, `tags` and `deleted` may be left out (a delta often has few).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        kind = try c.decode(RecordKind.self, forKey: .kind)
        // Each may be left out; present, it must have its type (null is refused).
        fields = c.contains(.fields) ? try c.decode([String: Register].self, forKey: .fields) : [:]
        tags = c.contains(.tags) ? try c.decode(TagSet.self, forKey: .tags) : TagSet()
        deleted = c.contains(.deleted) ? try c.decode(Stamp.self, forKey: .deleted) : nil
    }

    /// The value of a field, if set.
    public subscript(field: String) -> JSONValue? {
        fields[field]?.value
    }

    /// Sets a field at `stamp`.
    public mutating func set(_ field: String, _ value: JSONValue, at stamp: Stamp) {
        fields[field] = Register(value, at: stamp)
    }

    /// Whether the record is deleted. A write stamped after the deletion (made concurrently by a
    /// replica that had not yet seen it) revives the record, so that edit is not silently hidden.
    public var isDeleted: Bool {
        guard let deleted else { return false }
        return deleted > latestWrite
    }

    /// The largest stamp among fields and tag additions.
    public var latestWrite: Stamp {
        var best = Stamp.zero
        for register in fields.values where register.stamp > best { best = register.stamp }
        for dots in tags.added.values { if let m = dots.max(), m > best { best = m } }
        return best
    }

    /// Every stamp in the record: fields, tag additions and removals, deletion.
    public var allStamps: [Stamp] {
        var out = fields.values.map(\.stamp)
        for dots in tags.added.values { out.append(contentsOf: dots) }
        out.append(contentsOf: tags.removed)
        if let deleted { out.append(deleted) }
        return out
    }

    /// The largest stamp anywhere in the record, deletion included.
    public var latestStamp: Stamp {
        max(latestWrite, deleted ?? .zero, tags.removed.max() ?? .zero)
    }

    /// Merges two versions of the same record.
    ///
    /// Per field the later stamp wins; tags are unioned; the later deletion stamp is kept.
    /// If the identifiers or kinds differ (forged input), the smaller one is kept so the result
    /// still does not depend on argument order.
    public static func merge(_ a: Record, _ b: Record) -> Record {
        var out = a
        out.id = min(a.id, b.id)
        out.kind = a.kind.rawValue <= b.kind.rawValue ? a.kind : b.kind
        for (name, register) in b.fields {
            if let mine = out.fields[name] {
                out.fields[name] = Register.merge(mine, register)
            } else {
                out.fields[name] = register
            }
        }
        out.tags = TagSet.merge(a.tags, b.tags)
        switch (a.deleted, b.deleted) {
        case (nil, let d), (let d, nil): out.deleted = d
        case (let x?, let y?): out.deleted = max(x, y)
        }
        return out
    }
}
