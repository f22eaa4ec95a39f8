/// What a record holds.
public enum RecordKind: String, Sendable, Hashable, Codable, CaseIterable {
    case briefing
    case annotation
}
