extension Record {
    /// The delta that turns `old` into `new`: the fields whose values differ, stamped `stamp`.
    /// Tags are not compared; change them with ``TagSet/add(_:at:)`` and ``TagSet/remove(_:observed:)``.
    public static func delta(from old: Record, to new: Record, at stamp: Stamp) -> Record {
        var d = Record(id: old.id, kind: old.kind)
        // Byte for byte: Swift's `==` calls canonically equivalent strings equal, so a re-save in
        // another normalisation (NFC → NFD) would silently not be a change.
        for (name, register) in new.fields
        where old.fields[name].map({ !$0.value.canonical.utf8.elementsEqual(register.value.canonical.utf8) }) ?? true {
            d.set(name, register.value, at: stamp)
        }
        return d
    }

    /// Whether the delta changes nothing.
    public var isEmptyDelta: Bool { fields.isEmpty && tags.isEmpty && deleted == nil }
}
