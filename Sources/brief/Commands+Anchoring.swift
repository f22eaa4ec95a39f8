import ArgumentParser
import BriefSyncClient
import Foundation

struct Orphans: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orphans",
        abstract: "List annotations whose passage is gone or uncertain, with the text they were made on.",
        discussion: """
            Statuses: fuzzy (approximate place: check it, then 'brief confirm ID'), ambiguous (several
            places fit), orphan (the passage is gone: 'brief reanchor ID --quote TEXT').
            """)
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let list = try global.openForReading().unplaced()
        try global.emit(list, text: Renderer.unplaced(list))
    }
}

struct Confirm: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confirm",
        abstract: "Accept where a fuzzy or ambiguous annotation now lies (its first quote is kept).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The annotation id (a unique prefix of 4+ characters).") var id: String

    func run() throws {
        let replica = try global.open()
        try replica.confirm(id)
        try global.emit(["confirmed": id], text: "Confirmed; the annotation is anchored where it now lies.")
    }
}

struct Reanchor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reanchor",
        abstract: "Anchor an annotation to another quote in its briefing (its first quote is kept).",
        discussion: "brief reanchor 9c1e --quote \"crisis hotline\" --occurrence 2")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The annotation id (a unique prefix of 4+ characters).") var id: String
    @Option(help: "The text to anchor to.") var quote: String
    @Option(help: "Look only in this section (key, heading or a unique prefix).") var section: String?
    @Option(help: "Which match to use when the quote occurs more than once.") var occurrence: Int?

    func run() throws {
        let replica = try global.open()
        try replica.reanchor(id, quote: quote, section: section, occurrence: occurrence)
        try global.emit(["reanchored": id], text: "Re-anchored to \"\(quote)\".")
    }
}
