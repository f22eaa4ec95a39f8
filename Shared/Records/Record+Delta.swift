extension Record {
    /// The delta that turns `old` into `new`: the fields whose values differ, stamped `stamp`.
    /// Tags are not compared; change them with ``TagSet/add(_:at:)`` and ``TagSet/remove(_:observed:)``.
    public static func delta(from old: Record, to new: Record, at stamp: Stamp) -> Record {
        var d = Record(id: old.id, kind: old.kind)
        for (name, register) in new.fields where old.fields[name]?.value != register.value {
            d.set(name, register.value, at: stamp)
        }
        return d
    }

    /// Whether the delta changes nothing.
    public var isEmptyDelta: Bool { fields.isEmpty && tags.isEmpty && deleted == nil }
}
