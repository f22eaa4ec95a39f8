import ArgumentParser
import BriefSyncClient
import BriefSyncModel
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create the local replica.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Your name, shown on your annotations (default: $USER).")
    var name: String?

    func run() throws {
        let name = name ?? ProcessInfo.processInfo.environment["USER"] ?? "me"
        let replica = try Replica.create(home: global.homeURL, name: name)
        let status = try replica.status()
        try global.emit(status, text: "Created replica \(status.replica) for \(name) at \(status.path)")
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import plain-text or Markdown briefings; prints the new ids.",
        discussion: "Use - to read standard input. The title is the first non-empty line unless --title is given.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Files to import (- for standard input).") var files: [String]
    @Option(help: "The title (default: the first non-empty line).") var title: String?
    @Option(name: .customLong("tag"), help: "A tag for every imported briefing (repeatable).") var tags: [String] = []
    @Option(help: "The team to share the briefings with (default: the team chosen at login).") var team: String?

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one file to import (- for standard input)") }
    }

    func run() throws {
        let replica = try global.open()
        let documents = try files.map(readDocument)
        // Many files show progress on a terminal (parsed, then written: one transaction, all or nothing).
        let progress = files.count > 1 ? ProgressLine("Importing", unit: "steps") : nil
        let ids = try replica.importBriefings(
            documents, title: title, tags: tags, team: team, progress: progress.map { p in { p.update($0, of: $1) } })
        progress?.finish()
        try global.emit(["ids": ids], text: ids.joined(separator: "\n"))
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List briefings, most recently changed first.",
        discussion: """
            Text shows a page of \(List.page) (then how to see more); --json lists every briefing
            unless --limit is given, so scripts never get a silent partial list.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only briefings with this tag.") var tag: String?
    @Option(help: "At most this many briefings (text default: \(List.page)).") var limit: Int?
    @Option(help: "Skip this many first (with --limit, the next page).") var offset = 0
    @Flag(help: "Every briefing, however many.") var all = false

    /// The text page size.
    static let page = 50

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit takes 1 or more") }
        if offset < 0 { throw ValidationError("--offset takes 0 or more") }
        if all, limit != nil { throw ValidationError("--all and --limit ask for different things; give one of them") }
    }

    func run() throws {
        let replica = try global.openForReading()
        let pageSize = all ? nil : limit ?? (global.json ? nil : Self.page)
        let rows = try replica.list(tag: tag, limit: pageSize, offset: offset)
        var text = Renderer.table(rows)
        if let pageSize, rows.count == pageSize {
            let total = try replica.briefingCount(tag: tag)
            let rest = total - offset - rows.count
            if rest > 0 {
                text +=
                    "… \(rest) more: brief list --offset \(offset + rows.count)\(limit.map { " --limit \($0)" } ?? ""), or --all\n"
            }
        }
        try global.emit(rows, text: text)
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a briefing with its annotations.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The briefing id (any unique prefix of 4+ characters).") var id: String

    func run() throws {
        let detail = try global.openForReading().detail(id)
        try global.emit(detail, text: Terminal.styleDetail(Renderer.detail(detail)))
    }
}

struct Annotations: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotations",
        abstract: "List annotations across every briefing (watch items are your task list).",
        discussion: """
            Examples:
              brief annotations --kind watch --open      # what is still to watch
              brief annotations --mine --tag followup
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "highlight, note, question or watch.") var kind: Annotation.Kind?
    @Flag(help: "Only watch items still open.") var open = false
    @Flag(help: "Only your own annotations.") var mine = false
    @Option(help: "Only annotations with this tag.") var tag: String?

    func run() throws {
        let replica = try global.openForReading()
        var filter = Replica.AnnotationFilter()
        filter.kind = kind
        filter.openOnly = open
        filter.author = mine ? replica.name : nil
        filter.tag = tag
        let items = try replica.annotations(filter)
        try global.emit(items, text: Self.render(items))
    }

    static func render(_ items: [AnnotationListItem]) -> String {
        guard !items.isEmpty else { return "No annotations.\n" }
        return items.map { a in
            let state = a.state.map { " (\($0))" } ?? ""
            let quote = a.quote.map { " \"\(TextLayout.truncate($0, 40))\"" } ?? ""
            let head =
                "\(a.kind)\(state) \(Identifier.short(a.id)) on \(Identifier.short(a.briefing)) \"\(TextLayout.truncate(a.briefingTitle, 30))\"\(quote) by \(a.author)"
            let tags = a.tags.isEmpty ? "" : " [\(a.tags.joined(separator: ", "))]"
            return TextLayout.wrap(head + tags, indent: "    ") + "\n"
                + (a.note.isEmpty ? "" : TextLayout.wrap("    " + a.note, indent: "    ") + "\n")
        }.joined()
    }
}

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search briefings, notes and quotes.",
        discussion: """
            Every word must match. defen* finds words starting with "defen"; a quoted
            argument is a phrase; OR between words finds either. Best matches first; a word
            found in more than 2,000 texts is ranked among the newest 2,000 of them (filters
            look further when they need to), so add words or a filter to narrow it.
            Examples:
              brief search taiwan strait
              brief search "face-to-face talks" --kind briefing
              brief search defen* OR military --tag defence --limit 5
            Exit status: 0 when something matched, 4 when nothing did (as grep's 1), 1 on an error.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Words to find; an argument with spaces is a phrase.") var query: [String]
    @Option(help: "Only hits in briefings or annotations with this tag.") var tag: String?
    @Option(help: "Only briefings (briefing) or annotations of this kind (note, question, highlight, watch).")
    var kind: String?
    @Option(help: "Only annotations by this user.") var author: String?
    @Option(help: "Only hits in this briefing (an id prefix).") var briefing: String?
    @Option(help: "At most this many hits (1-10000).") var limit = 50

    /// The exit status of a search that found nothing: scripts tell it from a failure.
    static let noMatches = ExitCode(4)

    func run() throws {
        var filter = Replica.SearchFilter()
        filter.tag = tag
        filter.kind = kind
        filter.author = author
        filter.briefing = briefing
        filter.limit = limit
        // The shell already grouped a quoted phrase into one argument: keep it a phrase.
        let text = query.map { $0.contains(where: \.isWhitespace) && !$0.contains("\"") ? "\"\($0)\"" : $0 }
        let hits = try global.openForReading().search(text.joined(separator: " "), filter: filter)
        try global.emit(hits, text: Renderer.hits(hits))
        if hits.isEmpty { throw Self.noMatches }
    }
}

struct Export: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case markdown, json, w3c }
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a briefing as Markdown or as JSON records.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The briefing id.") var id: String
    @Option(
        help:
            "markdown (annotations as footnotes), json (the records) or w3c (a W3C Web Annotation collection, JSON-LD); --json alone means json."
    )
    var format: Format?

    func validate() throws {
        if global.json, format == .markdown {
            throw ValidationError("--json and --format markdown ask for different things; give one of them")
        }
    }

    func run() throws {
        let replica = try global.openForReading()
        switch format ?? (global.json ? .json : .markdown) {
        case .markdown:
            print(Renderer.markdown(try replica.detail(id)), terminator: "")
        case .w3c:
            let collection = try replica.exportW3C(id)
            let data = try JSONSerialization.data(
                withJSONObject: collection, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        case .json:
            let (briefing, annotations) = try replica.exportRecords(id)
            struct Out: Encodable { var briefing: Record; var annotations: [Record] }
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try e.encode(Out(briefing: briefing, annotations: annotations)), as: UTF8.self))
        }
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the replica, record counts and pending changes.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let status = try global.openForReading().status()
        try global.emit(status, text: Renderer.status(status))
    }
}

struct ImportAnnotations: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-annotations",
        abstract: "Read a W3C Web Annotation collection (as 'brief export --format w3c' writes it) onto a briefing.",
        discussion: "brief import-annotations notes.jsonld --briefing 3f2a")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The collection file (- for standard input).") var file: String
    @Option(help: "The briefing to put the annotations on (default: the one the collection names).")
    var briefing: String?

    func run() throws {
        let replica = try global.open()
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let d = FileManager.default.contents(atPath: file) else {
                throw ClientError(.fileUnreadable, "cannot read \(file)")
            }
            data = d
        }
        var target = briefing
        if target == nil, let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let id = root["id"] as? String, id.hasPrefix("urn:briefsync:briefing:")
        {
            target = String(id.dropFirst("urn:briefsync:briefing:".count).prefix { $0 != "/" })
        }
        guard let target else {
            throw ClientError(.invalidArgument, "the collection names no briefing of ours; pass --briefing ID")
        }
        let ids = try replica.importW3C(data, onto: target)
        try global.emit(["ids": ids], text: "Imported \(ids.count) annotation(s).")
    }
}
