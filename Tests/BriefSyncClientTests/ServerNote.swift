import BriefSyncModel

/// One note as a server sends it, version by version: what the suites on pulled records pull.
enum ServerNote {
    static let briefing = "0000aaaa-0000-4000-8000-000000000000"
    static let id = "0000bbbb-0000-4000-8000-000000000000"

    /// The note holding `text`, every field stamped at `physical` by the server.
    static func version(_ text: String, at physical: Int64) -> Record {
        Annotation(id: id, briefing: briefing, kind: .note, anchor: nil, note: text, author: "bob").record(
            at: Stamp(physical: physical, counter: 0, replica: "server-side"))
    }
}
