/// An add-wins observed-remove set of tags.
///
/// Each addition of a tag is identified by its stamp (a "dot"). Removing a tag records the dots the
/// remover had seen; a tag is present while it has a dot that no removal has seen. Concurrent
/// additions therefore survive a removal, and merging is a plain union of both parts, which is
/// commutative, associative and idempotent.
public struct TagSet: Sendable, Hashable, Codable {
    /// For each tag, the stamps of the writes that added it.
    public private(set) var added: [String: Set<Stamp>]
    /// Addition stamps that a removal has observed.
    public private(set) var removed: Set<Stamp>

    public init() {
        added = [:]
        removed = []
    }

    /// Both parts as they are (for readers of the wire form).
    init(added: [String: Set<Stamp>], removed: Set<Stamp>) {
        self.added = added
        self.removed = removed
    }

    /// The tags currently present, sorted.
    public var elements: [String] {
        added.compactMap { tag, dots in dots.isSubset(of: removed) ? nil : tag }.sorted()
    }

    public func contains(_ tag: String) -> Bool {
        guard let dots = added[tag] else { return false }
        return !dots.isSubset(of: removed)
    }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty }

    /// Records an addition of `tag` at `stamp`.
    public mutating func add(_ tag: String, at stamp: Stamp) {
        added[tag, default: []].insert(stamp)
    }

    /// Records the removal of `tag` as seen in `observed`: only those additions are removed.
    public mutating func remove(_ tag: String, observed: TagSet) {
        guard let dots = observed.added[tag] else { return }
        removed.formUnion(dots.subtracting(observed.removed))
        // Keep the dots themselves too, so that the delta carries what it removes.
        added[tag, default: []].formUnion(dots)
    }

    /// The union of two sets' histories.
    public static func merge(_ a: TagSet, _ b: TagSet) -> TagSet {
        var out = a
        for (tag, dots) in b.added { out.added[tag, default: []].formUnion(dots) }
        out.removed.formUnion(b.removed)
        return out
    }

    enum CodingKeys: String, CodingKey {
        case added
        case removed
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let a = c.contains(.added) ? try c.decode([String: [Stamp]].self, forKey: .added) : [:]
        added = a.mapValues(Set.init)
        removed = Set(c.contains(.removed) ? try c.decode([Stamp].self, forKey: .removed) : [])
    }

    /// Encodes with sorted stamp lists so equal sets encode to equal bytes.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(added.mapValues { $0.sorted() }, forKey: .added)
        try c.encode(removed.sorted(), forKey: .removed)
    }
}
