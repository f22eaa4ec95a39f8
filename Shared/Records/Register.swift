/// A last-writer-wins register: one field value with the stamp of the write that set it.
public struct Register: Sendable, Hashable, Codable {
    public var value: JSONValue
    public var stamp: Stamp

    public init(_ value: JSONValue, at stamp: Stamp) {
        self.value = value
        self.stamp = stamp
    }

    /// The register with the larger stamp; on equal stamps (only possible with forged input) the
    /// value with the larger canonical form, so that the choice never depends on argument order.
    public static func merge(_ a: Register, _ b: Register) -> Register {
        if a.stamp != b.stamp { return a.stamp > b.stamp ? a : b }
        return a.value.canonical >= b.value.canonical ? a : b
    }

    enum CodingKeys: String, CodingKey {
        case value = "v"
        case stamp = "s"
    }
}
