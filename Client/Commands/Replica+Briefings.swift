import BriefSyncModel
import Foundation
import GRDB

extension Replica {
    /// Decodes a document's bytes as UTF-8, refusing invalid or empty input.
    public static func documentText(_ data: Data, name: String) throws -> String {
        // Formats that are not text say how to make text of them (README, "Importing").
        if data.starts(with: Data("%PDF-".utf8)) {
            throw ClientError(
                .invalidUTF8,
                "\(name) is a PDF; import its text instead: pdftotext -layout '\(name)' - | brief import - --title TITLE"
            )
        }
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw ClientError(
                .invalidUTF8,
                "\(name) is a zip file (a .docx or .odt?); convert it to Markdown first: pandoc -t gfm '\(name)' -o briefing.md, then brief import briefing.md"
            )
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw ClientError(
                .invalidUTF8,
                "\(name) is not valid UTF-8 text; convert it first (iconv -f WINDOWS-1252 -t UTF-8 '\(name)' > briefing.txt)"
            )
        }
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw ClientError(.emptyDocument, "\(name) is empty; nothing to import")
        }
        return text
    }

    /// Imports documents as new briefings, all in one transaction; returns their ids in order.
    /// `progress` hears (documents done, documents) as each is parsed and as each is written.
    public func importBriefings(
        _ documents: [(name: String, text: String)], title: String? = nil, tags: [String] = [], team: String? = nil,
        progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> [String] {
        let tags = try Self.validTags(tags)
        if let title, title.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ClientError(.invalidArgument, "--title is empty; give a title or leave it out")
        }
        let parser = BriefingParser()
        let parsed = try documents.map { doc -> BriefingParser.Parsed in
            // A file's name without folder and extension titles a document that has no title line.
            let stem =
                doc.name == "standard input"
                ? nil : URL(fileURLWithPath: doc.name).deletingPathExtension().lastPathComponent
            let p: BriefingParser.Parsed
            do {
                p = try parser.parse(doc.text, title: title, name: stem)
            } catch {
                throw ClientError(.emptyDocument, "\(doc.name) is empty; nothing to import")
            }
            if let status = p.metadata.status, Briefing.Status(rawValue: status) == nil {
                throw ClientError(
                    .invalidArgument,
                    "\(doc.name): the front matter's status '\(status)' is not one of \(Briefing.Status.allCases.map(\.rawValue).joined(separator: ", ")); nothing was imported"
                )
            }
            for (field, value) in [("source", p.metadata.source), ("date", p.metadata.date)] {
                guard let value, value.count > Self.maxMetadataLength || value.contains(where: \.isNewline) else {
                    continue
                }
                throw ClientError(
                    .invalidArgument,
                    "\(doc.name): the \(field) must be one line of at most \(Self.maxMetadataLength) characters; nothing was imported"
                )
            }
            var checked = p
            checked.metadata.tags = try Self.validTags(p.metadata.tags)
            return checked
        }
        let steps = documents.count * 2
        for i in parsed.indices { progress?(i + 1, steps) }
        for (doc, p) in zip(documents, parsed) where p.sections.count > Wire.Limits.maxSections {
            throw ClientError(
                .tooLarge,
                "\(doc.name) has \(p.sections.count) sections; a briefing may have at most \(Wire.Limits.maxSections): split it into several files; nothing was imported"
            )
        }
        let team = team ?? (try? read { try Replica.meta($0, "team") }) ?? nil
        return try change { ctx in
            return try zip(documents, parsed).enumerated().map { i, pair in
                let (doc, p) = pair
                defer { progress?(documents.count + i + 1, steps) }
                let briefing = Briefing(
                    id: ctx.newID(), title: p.title, source: p.metadata.source, date: p.metadata.date,
                    status: p.metadata.status.flatMap(Briefing.Status.init(rawValue:)) ?? .draft, team: team,
                    tags: Array(Set(tags + p.metadata.tags)).sorted(), sections: p.sections)
                do {
                    try ctx.apply(briefing.record(at: ctx.stamp()))
                } catch let error as ClientError where error.code == .tooLarge {
                    let size = doc.text.utf8.count
                    throw ClientError(
                        .tooLarge,
                        "\(doc.name) is too large to share (\(ByteCount(size)) of text; a briefing may be at most \(ByteCount(Wire.Limits.maxMutationBytes)) as sent): split it into several files; nothing was imported"
                    )
                }
                return briefing.id
            }
        }
    }

    /// Replaces one section's text, or with `section == nil` the whole body (sections matched to
    /// existing ones by heading so their keys, and the annotations anchored in them, carry over).
    public func edit(_ id: String, section: String?, text: String) throws {
        try change { ctx in
            let record = try RecordStore.resolve(ctx.db, id, kind: .briefing)
            var briefing = Briefing(record: record)!
            if let section {
                guard let s = briefing.section(named: section) else {
                    let names = briefing.sections.map { $0.heading.isEmpty ? $0.key : "\($0.key) (\($0.heading))" }
                    throw ClientError(
                        .notFound,
                        "briefing \(Identifier.short(record.id)) has no section '\(section)'; sections: \(names.joined(separator: ", "))"
                    )
                }
                let i = briefing.sections.firstIndex(of: s)!
                briefing.sections[i].text = BriefingParser.joinBody(
                    text.replacingCRLF().split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
            } else {
                let parsed = try? BriefingParser().parse(text, title: briefing.title)
                guard let parsed else {
                    throw ClientError(.emptyDocument, "the new text is empty; to delete the briefing use 'brief rm'")
                }
                // Every key the briefing ever had stays reserved: a new section never inherits the
                // annotations of a deleted one.
                let everUsed = Set(record.fields.keys.compactMap { Briefing.Field.sectionKey(ofText: $0) })
                briefing.sections = Section.rekey(parsed.sections, existing: briefing.sections, reserved: everUsed)
            }
            let delta = Record.delta(from: record, to: briefing.record(at: .zero), at: ctx.stamp())
            if !delta.isEmptyDelta { try ctx.apply(delta) }
        }
    }

    /// Adds tags to a briefing or annotation.
    public func tag(_ id: String, _ tags: [String]) throws {
        let tags = try Self.validTags(tags)
        try change { ctx in
            let record = try RecordStore.resolve(ctx.db, id)
            let stamp = ctx.stamp()
            var delta = Record(id: record.id, kind: record.kind)
            for tag in tags where !record.tags.contains(tag) { delta.tags.add(tag, at: stamp) }
            if !delta.isEmptyDelta { try ctx.apply(delta) }
        }
    }

    /// Removes tags (the additions this replica has seen) from a briefing or annotation.
    public func untag(_ id: String, _ tags: [String]) throws {
        let tags = try Self.validTags(tags)
        try change { ctx in
            let record = try RecordStore.resolve(ctx.db, id)
            let missing = tags.filter { !record.tags.contains($0) }
            guard missing.isEmpty else {
                throw ClientError(
                    .notFound,
                    "\(Identifier.short(record.id)) has no tag \(missing.joined(separator: ", ")); its tags: \(record.tags.elements.joined(separator: ", "))"
                )
            }
            var delta = Record(id: record.id, kind: record.kind)
            for tag in tags { delta.tags.remove(tag, observed: record.tags) }
            try ctx.apply(delta)
        }
    }

    /// Deletes (tombstones) a briefing or annotation; returns the record's kind.
    @discardableResult
    public func remove(_ id: String) throws -> RecordKind {
        try change { ctx in
            let record = try RecordStore.resolve(ctx.db, id)
            var delta = Record(id: record.id, kind: record.kind)
            delta.deleted = ctx.stamp()
            try ctx.apply(delta)
            return record.kind
        }
    }

    static func validTags(_ tags: [String]) throws -> [String] {
        var out: [String] = []
        for tag in tags {
            let t = tag.trimmingCharacters(in: .whitespaces)
            guard !t.isEmpty, !t.contains(where: { $0.isWhitespace || $0 == "," }) else {
                throw ClientError(
                    .invalidArgument, "tag '\(tag)' is not valid: tags are single words without spaces or commas")
            }
            if !out.contains(t) { out.append(t) }
        }
        return out
    }
}

extension Replica {
    /// The most a title, source or date may hold (characters).
    public static let maxMetadataLength = 500

    /// Changes a briefing's title, status, source or date (those given); returns whether any
    /// value changed. An unchanged value writes nothing.
    @discardableResult
    public func setMetadata(
        _ id: String, title: String? = nil, status: Briefing.Status? = nil, source: String? = nil, date: String? = nil
    ) throws -> Bool {
        for (name, value) in [("title", title), ("source", source), ("date", date)] {
            guard let value else { continue }
            if name == "title", value.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ClientError(.invalidArgument, "--title is empty; give the briefing a title")
            }
            guard value.count <= Self.maxMetadataLength, !value.contains(where: { $0.isNewline }),
                !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else {
                throw ClientError(
                    .invalidArgument,
                    "--\(name) must be one line of at most \(Self.maxMetadataLength) characters without control characters"
                )
            }
        }
        var changed = false
        try change { ctx in
            let record = try RecordStore.resolve(ctx.db, id, kind: .briefing)
            var briefing = Briefing(record: record)!
            if let title { briefing.title = title }
            if let status { briefing.status = status }
            if let source { briefing.source = source }
            if let date { briefing.date = date }
            let delta = Record.delta(from: record, to: briefing.record(at: .zero), at: ctx.stamp())
            guard !delta.isEmptyDelta else { return }
            try ctx.apply(delta)
            changed = true
        }
        return changed
    }
}
