import ArgumentParser
import BriefSyncClient
import BriefSyncModel
import Foundation

struct Conflicts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts", abstract: "List open conflicts with both sides and their authors.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let list = try global.openForReading().conflicts()
        try global.emit(list, text: Renderer.conflicts(list))
    }
}

struct Resolve: ParsableCommand {
    enum Keep: String, ExpressibleByArgument, CaseIterable { case mine, theirs, base }
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Resolve a conflict everywhere: keep one side, the base, or a new text.",
        discussion: """
            brief resolve 1a2b --keep theirs
            brief resolve 1a2b --text "Both: maritime and air activity…"
            'mine' is the side you wrote (the current text if you wrote neither).
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The conflict id.") var id: String
    @Option(help: "mine, theirs or base.") var keep: Keep?
    @Option(help: "A new text.") var text: String?
    @Option(help: "Read the new text from a file (- for standard input).") var file: String?

    func validate() throws {
        guard [keep != nil, text != nil, file != nil].filter({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --keep, --text or --file")
        }
    }

    func run() throws {
        let resolution: Replica.Resolution
        switch (keep, text, file) {
        case (.mine?, _, _): resolution = .mine
        case (.theirs?, _, _): resolution = .theirs
        case (.base?, _, _): resolution = .base
        case (_, let t?, _): resolution = .text(t)
        default: resolution = .text(try readDocument(file!).text)
        }
        let replica = try global.open()
        let full = try replica.fullID(id, kind: .conflict)
        try replica.resolve(full, resolution)
        try global.emit(Changed(id: full, action: "resolved"), text: "Resolved; 'brief sync' shares it.")
    }
}

struct Log: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the versions of a briefing or annotation (from the server when reachable, else those pulled).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The record id.") var id: String
    @Flag(name: [.customShort("p"), .long], help: "Show what each version changed, field by field.")
    var patch = false

    func run() async throws {
        let replica = try global.open()
        var note = ""
        if let server = try replica.loggedInServer() {
            do {
                try await SyncClient(replica: replica, transport: syncTransport(for: server, timeout: 10))
                    .fetchHistory(id)
            } catch let e as ClientError {
                note =
                    "(\(e.code == .serverUnreachable ? "offline" : "server history unavailable: \(e.message)"); showing the versions this replica has pulled)\n"
            }
        }
        if patch {
            let patches = try replica.patches(id)
            try global.emit(patches, text: note + Renderer.patches(patches))
            return
        }
        let (_, versions) = try replica.log(id)
        try global.emit(versions, text: note + Renderer.log(versions))
    }
}

struct Revert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revert",
        abstract: "Write a new version with the content of an older one (history is never rewritten).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The record id.") var id: String
    @Option(help: "The version to bring back (see 'brief log').") var to: Int64

    func run() throws {
        let replica = try global.open()
        let full = try replica.fullID(id)
        try replica.revert(full, to: to)
        try global.emit(
            Changed(id: full, action: "reverted"), text: "Reverted to version \(to); 'brief sync' shares it.")
    }
}
