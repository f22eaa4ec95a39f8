/// What a record holds.
public enum RecordKind: String, Sendable, Hashable, Codable, CaseIterable {
    case briefing
    case annotation
    /// Two edits of the same text that could not be merged; made by the server.
    case conflict
}
