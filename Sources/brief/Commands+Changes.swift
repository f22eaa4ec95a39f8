import ArgumentParser
import BriefSyncClient
import BriefSyncModel
import Foundation

/// What a command that changes one record prints with `--json`.
struct Changed: Encodable {
    var id: String
    var action: String
}

struct Annotate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Anchor an annotation to quoted text in a briefing.",
        discussion: """
            brief annotate 3f2a --quote "face-to-face talks" --note "first since 2023?" --tag followup
            brief annotate 3f2a --quote "Taiwan" --occurrence 2 --kind watch
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The briefing id.") var id: String
    @Option(help: "The exact text to anchor to.") var quote: String
    @Option(help: "A note.") var note: String?
    @Option(help: "highlight, note, question or watch (default: note with --note, else highlight).") var kind:
        Annotation.Kind?
    @Option(name: .customLong("tag"), help: "A tag (repeatable).") var tags: [String] = []
    @Option(help: "Only look in this section (key or heading).") var section: String?
    @Option(help: "Which occurrence of the quote (1-based) when it occurs more than once.") var occurrence: Int?

    func run() throws {
        let id = try global.open().annotate(
            id, quote: quote, note: note, kind: kind, tags: tags, section: section, occurrence: occurrence)
        try global.emit(Changed(id: id, action: "annotated"), text: id)
    }
}

struct Reply: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reply", abstract: "Reply to an annotation.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The annotation id.") var id: String
    @Option(help: "The reply.") var text: String

    func run() throws {
        let id = try global.open().reply(to: id, text: text)
        try global.emit(Changed(id: id, action: "replied"), text: id)
    }
}

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "note", abstract: "Replace an annotation's note.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The annotation id.") var id: String
    @Option(help: "The new note.") var text: String

    func run() throws {
        let replica = try global.open()
        let full = try replica.fullID(id, kind: .annotation)
        try replica.setNote(full, text: text)
        try global.emit(Changed(id: full, action: "noted"), text: "Note updated.")
    }
}

struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Replace a section's text, or the whole body.",
        discussion: """
            Without --text or --file, opens the config's editor, else $VISUAL, else $EDITOR, else editor, else vi on the current
            text; lines starting with '#:' are instructions and are left out. Saving the text unchanged
            (or quitting without saving) changes nothing.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The briefing id.") var id: String
    @Option(help: "The section (key or heading); without it the whole body is replaced.") var section: String?
    @Option(help: "The new text.") var text: String?
    @Option(help: "Read the new text from a file (- for standard input).") var file: String?

    func validate() throws {
        if text != nil && file != nil { throw ValidationError("give --text or --file, not both") }
    }

    func run() throws {
        let replica = try global.open()
        let full = try replica.fullID(id, kind: .briefing)
        let newText: String
        if let text {
            newText = text
        } else if let file {
            newText = try readDocument(file).text
        } else {
            guard let edited = try editInEditor(replica) else {
                try global.emit(
                    Changed(id: full, action: "unchanged"), text: "Nothing changed: the text was saved as it was.")
                return
            }
            newText = edited
        }
        try replica.edit(full, section: section, text: newText)
        try global.emit(Changed(id: full, action: "edited"), text: "Edited.")
    }

    /// The editor a person chose: `editor` in the config file, else `$VISUAL`, else `$EDITOR`,
    /// else `editor` (Debian's alternative), else `vi`.
    static func editorCommand(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let configured = try Config.load(environment).editor, !configured.isEmpty { return configured }
        for name in ["VISUAL", "EDITOR"] {
            if let value = environment[name], !value.trimmingCharacters(in: .whitespaces).isEmpty { return value }
        }
        let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return path.contains { FileManager.default.isExecutableFile(atPath: "\($0)/editor") } ? "editor" : "vi"
    }

    /// Lines starting with this are instructions in the editor's buffer, left out when read back.
    static let instruction = "#:"

    /// The edited text, or `nil` when it came back unchanged.
    private func editInEditor(_ replica: Replica) throws -> String? {
        let detail = try replica.detail(id)
        let current: String
        if let section {
            guard let s = detail.sections.first(named: section) else {
                throw ClientError(.notFound, "briefing \(Identifier.short(detail.id)) has no section '\(section)'")
            }
            current = s.text
        } else {
            current = detail.sections.map { ($0.heading.isEmpty ? "" : "# \($0.heading)\n") + $0.text }.joined(
                separator: "\n\n")
        }
        let what = section.map { "section '\($0)' of" } ?? "the whole body of"
        let header = [
            "\(Self.instruction) Editing \(what) '\(detail.title)' (\(Identifier.short(detail.id))).",
            "\(Self.instruction) Lines starting with '\(Self.instruction)' are left out. '# Heading' starts a section.",
            "\(Self.instruction) Save and quit to apply; quit without changing anything to keep the text as it is.",
        ].joined(separator: "\n")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("brief-edit-\(UUID().uuidString).md")
        // 0600 from the first byte: the buffer holds the team's text.
        guard
            FileManager.default.createFile(
                atPath: file.path, contents: Data((header + "\n" + current).utf8),
                attributes: [.posixPermissions: 0o600])
        else {
            throw ClientError(
                .fileUnreadable, "cannot write a temporary file in \(file.deletingLastPathComponent().path)")
        }
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(try Self.editorCommand()) \"$1\"", "sh", file.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ClientError(
                .editorFailed, "the editor exited with status \(process.terminationStatus); nothing changed")
        }
        let edited = try readDocument(file.path).text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix(Self.instruction) }.joined(separator: "\n")
        let normalized = { (s: String) in s.trimmingCharacters(in: .whitespacesAndNewlines) }
        return normalized(edited) == normalized(current) ? nil : edited
    }
}

extension Briefing.Status: ExpressibleByArgument {}

struct SetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Change a briefing's title, status, source or date.",
        discussion: "Example: brief set 3f2a --status published --date 2026-11-30")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The briefing id.") var id: String
    @Option(help: "The new title.") var title: String?
    @Option(help: "draft, published or archived.") var status: Briefing.Status?
    @Option(help: "Where it comes from.") var source: String?
    @Option(help: "Its date, as you write dates (e.g. 2026-11-30).") var date: String?

    func validate() throws {
        if title == nil && status == nil && source == nil && date == nil {
            throw ValidationError("give at least one of --title, --status, --source, --date")
        }
    }

    func run() throws {
        let replica = try global.open()
        let full = try replica.fullID(id, kind: .briefing)
        let changed = try replica.setMetadata(full, title: title, status: status, source: source, date: date)
        try global.emit(
            Changed(id: full, action: changed ? "set" : "unchanged"),
            text: changed ? "Changed." : "Nothing changed: the briefing already has those values.")
    }
}

struct Tag: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Add tags to a briefing or annotation.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The briefing or annotation id.") var id: String
    @Argument(help: "Tags to add.") var tags: [String]

    func validate() throws { if tags.isEmpty { throw ValidationError("give at least one tag") } }

    func run() throws {
        let replica = try global.open()
        let full = try replica.fullID(id)
        try replica.tag(full, tags)
        try global.emit(Changed(id: full, action: "tagged"), text: "Tagged.")
    }
}

struct Untag: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "untag", abstract: "Remove tags from a briefing or annotation.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The briefing or annotation id.") var id: String
    @Argument(help: "Tags to remove.") var tags: [String]

    func validate() throws { if tags.isEmpty { throw ValidationError("give at least one tag") } }

    func run() throws {
        let replica = try global.open()
        let full = try replica.fullID(id)
        try replica.untag(full, tags)
        try global.emit(Changed(id: full, action: "untagged"), text: "Untagged.")
    }
}

struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete a briefing or annotation.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The briefing or annotation id.") var id: String

    func run() throws {
        let replica = try global.open()
        let full = try replica.fullID(id)
        let kind = try replica.remove(full)
        try global.emit(Changed(id: full, action: "deleted"), text: "Deleted \(kind.rawValue) \(full).")
    }
}

struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Close or reopen a watch item.", discussion: "brief watch 9c1e --close")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The watch item's id.") var id: String
    @Flag(help: "Close it (it happened, or no longer matters).") var close = false
    @Flag(help: "Open it again.") var open = false

    func validate() throws {
        guard close != open else { throw ValidationError("give --close or --open") }
    }

    func run() throws {
        let replica = try global.open()
        let full = try replica.fullID(id, kind: .annotation)
        try replica.setWatchState(full, close ? .closed : .open)
        try global.emit(Changed(id: full, action: close ? "closed" : "reopened"), text: close ? "Closed." : "Reopened.")
    }
}

struct Move: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: "Move a briefing to another of your teams.",
        discussion: """
            A briefing not yet synced changes team and keeps its id. One already on the server is
            copied to the new team with your annotations (a new id, printed) and removed from the
            old one; with other members' annotations on it, the move is refused unless --keep,
            which copies it and leaves the original where it is.
            Example:
              brief move 3f2a --team europe
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The briefing id.") var id: String
    @Option(help: "The team to move it to.") var team: String
    @Flag(help: "Copy it to the team and keep the original.") var keep = false

    func run() throws {
        let moved = try global.open().move(id, toTeam: team, keep: keep)
        let text =
            moved.inPlace
            ? "Moved to team \(moved.team) (not yet synced, so the id stays): \(moved.id)"
            : "\(moved.keptOriginal ? "Copied" : "Moved") to team \(moved.team) as \(moved.id), with \(moved.annotations) of your annotation(s)"
                + (moved.keptOriginal ? "; the original stays." : "; the original is removed.")
        try global.emit(moved, text: text)
    }
}
