import BriefSyncModel

/// What a record's rows hold — the `records` columns, its tags, its search texts, and the field
/// list of a first version — derived from the record alone, with its state's JSON as received
/// when it was pulled (stored as it is: the writer need not write it out again).
///
/// A sync derives them for each pulled record on the task that decoded its page, while the
/// previous page is being written: the transaction applying a page, which a clone waits on,
/// then only binds and steps (the typed views, anchor reading and field sorting were a quarter
/// of its Swift time).
package struct RecordRows: Sendable {
    var briefing = ""
    var title = ""
    var sections = 0
    var deleted: Bool
    /// The record's latest stamp (its `updated` column is the physical time).
    var latest: Stamp
    var updated: Int64 { latest.physical }
    /// The record's wire JSON as the server sent it (``Wire/PullResponse/decodeKeepingStates(_:)``),
    /// or `nil`: then it is written from the record.
    var state: String?
    /// The texts the full-text index holds, by field (`title`, a section's key, `note`, `quote`).
    var texts: [Text] = []
    var tags: [String]
    /// Every field name, sorted byte-wise, as a JSON array: the `fields` of a record's first
    /// version in `history`.
    var allFields: String

    /// `names` sorted byte-wise, as a JSON array (a version's `fields` in `history`).
    static func fieldList(_ names: some Collection<String>) -> String {
        var list = JSONWriter(capacity: 16 * names.count)
        list.array(names.sorted(by: JSONWriter.precedes))
        return String(decoding: list.bytes, as: UTF8.self)
    }

    struct Text: Sendable {
        var field: String
        var text: String
    }

    package init(_ record: BriefSyncModel.Record, state: String? = nil) {
        self.state = state
        deleted = record.isDeleted
        latest = record.latestStamp
        tags = record.tags.elements
        allFields = Self.fieldList(record.fields.keys)
        switch record.kind {
        case .briefing:
            let b = Briefing(record: record)!
            briefing = record.id
            title = b.title
            sections = b.sections.count
            texts.append(Text(field: "title", text: b.title))
            for s in b.sections {
                texts.append(Text(field: s.key, text: s.heading.isEmpty ? s.text : s.heading + "\n" + s.text))
            }
        case .annotation:
            // The fields `Annotation(record:)` reads for these, and no others.
            briefing = record[Annotation.Field.briefing]?.string ?? ""
            if let note = record[Annotation.Field.note]?.string { texts.append(Text(field: "note", text: note)) }
            // A reply carries its parent's quote: indexed once, on the parent.
            if record[Annotation.Field.parent]?.string == nil,
                let quote = record[Annotation.Field.anchor].flatMap(Anchor.init(json:))?.exact
            {
                texts.append(Text(field: "quote", text: quote))
            }
        case .conflict:
            briefing = record[Conflict.Field.briefing]?.string ?? ""
        }
        texts.removeAll { $0.text.isEmpty }
    }
}
