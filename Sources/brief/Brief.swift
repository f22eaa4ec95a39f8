import ArgumentParser
import BriefSyncClient
import BriefSyncModel
import Foundation

/// `brief`: annotated briefings in a local replica, synced with a `briefd` server.
@main
struct Brief: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "brief",
        abstract: "Keep annotated briefings offline and share them through a briefd server.",
        discussion: """
            Every command works offline on the local replica (--home, $BRIEF_HOME,
            $XDG_DATA_HOME/brief or $HOME/.brief).
            Examples:
              brief init --name alice
              brief import talks.txt --tag defence
              brief annotate 3f2a --quote "face-to-face talks" --note "first since 2023?"
              brief show 3f2a
            """,
        version: "brief \(BriefSyncVersion.number)",
        subcommands: [Init.self, Status.self, Demo.self],
        groupedSubcommands: [
            CommandGroup(
                name: "Briefings",
                subcommands: [
                    Import.self, List.self, Show.self, Edit.self, SetCommand.self, Tag.self, Untag.self, Remove.self,
                    Export.self,
                ]),
            CommandGroup(
                name: "Annotations",
                subcommands: [
                    Annotate.self, Annotations.self, Reply.self, NoteCommand.self, Watch.self, ImportAnnotations.self,
                    Orphans.self,
                    Confirm.self, Reanchor.self,
                ]),
            CommandGroup(name: "Finding and history", subcommands: [Search.self, Log.self, Revert.self]),
            CommandGroup(
                name: "Sharing",
                subcommands: [
                    Login.self, Logout.self, Sync.self, Clone.self, Conflicts.self, Resolve.self, Rejected.self,
                ]),
        ])

    /// Runs the command; errors become one line on stderr and exit code 1 (2 for usage errors).
    static func main() async {
        do {
            var command = try parseAsRoot(GlobalOptions.movedAfterSubcommand(Array(CommandLine.arguments.dropFirst())))
            // Text fits the terminal it is read on (80 columns when piped).
            TextLayout.width = Terminal.width
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let error as ClientError {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            Foundation.exit(error.code == .refused ? 3 : 1)
        } catch let error where ClientError.describing(error, replica: replicaPath) != nil {
            let mapped = ClientError.describing(error, replica: replicaPath)!
            FileHandle.standardError.write(Data("error: \(mapped.message)\n".utf8))
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            // An exit status that is an answer (search found nothing), not an error.
            if error is ExitCode { Foundation.exit(code.rawValue) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }

    /// The replica folder named on the command line, for error messages.
    static var replicaPath: String {
        let args = CommandLine.arguments
        if let i = args.firstIndex(of: "--home"), i + 1 < args.count { return args[i + 1] }
        if let arg = args.first(where: { $0.hasPrefix("--home=") }) { return String(arg.dropFirst(7)) }
        return GlobalOptions.homeURL(nil).path
    }
}
