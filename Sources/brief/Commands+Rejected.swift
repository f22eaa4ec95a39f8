import ArgumentParser
import BriefSyncClient
import Foundation

struct Rejected: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rejected",
        abstract: "List changes the server refused; retry or drop them.",
        discussion: """
            A refused change is never lost: it stays here, with its text and the reason, until you
            retry it (after a login, a role change or a team fix) or drop it.
              brief rejected
              brief rejected retry 1a2b      (or --all), then brief sync
              brief rejected drop 1a2b       (or --all)
            """,
        subcommands: [ListRejected.self, Retry.self, Drop.self],
        defaultSubcommand: ListRejected.self)

    struct ListRejected: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List refused changes.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let changes = try global.openForReading().rejectedChanges()
            try global.emit(changes, text: Renderer.rejected(changes))
        }
    }

    struct Which: ParsableArguments {
        @Argument(help: "The refused change's id (a unique prefix of 4+ characters).") var id: String?
        @Flag(help: "Every refused change.") var all = false

        func validate() throws {
            guard (id == nil) != (!all) else {
                throw ValidationError("give either a refused change's id or --all (see 'brief rejected')")
            }
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry",
            abstract: "Queue refused changes again; 'brief sync' sends them.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var which: Which

        func run() throws {
            let n = try global.open().retryRejected(which.all ? nil : which.id)
            try global.emit(["retried": n], text: "Queued \(n) change(s) again; run 'brief sync' to send them.")
        }
    }

    struct Drop: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "drop", abstract: "Discard refused changes for good.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var which: Which

        func run() throws {
            let n = try global.open().dropRejected(which.all ? nil : which.id)
            try global.emit(["dropped": n], text: "Dropped \(n) refused change(s).")
        }
    }
}
