import ArgumentParser
import BriefSyncClient
import BriefSyncModel
import Foundation

/// `brief`: annotated briefings in a local replica, synced with a `briefd` server.
///
/// Every command names itself (`commandName`): without one, ArgumentParser derives the name with
/// `String(describing:)`, a scan of the binary's ~10,000 protocol conformances per type, which
/// every process paid while it matched its arguments against the whole tree.
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
        version: "brief \(BriefSyncVersion.number) (commit \(BuildCommit.id))",
        subcommands: [Init.self, Status.self, Demo.self, Manual.self],
        groupedSubcommands: [
            CommandGroup(
                name: "Briefings",
                subcommands: [
                    Import.self, List.self, Show.self, Edit.self, SetCommand.self, Move.self, Tag.self, Untag.self,
                    Remove.self,
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
                    Members.self, Member.self, Passwd.self,
                ]),
        ])

    /// Runs the command; errors become one line on stderr (a JSON object with `--json`) and exit
    /// code 1 (2 for usage errors, 3 for refused changes).
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(GlobalOptions.movedAfterSubcommand(arguments))
            // Text fits the terminal it is read on (80 columns when piped).
            TextLayout.width = Terminal.width
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let error as ClientError {
            fail(arguments, code: error.code.description, message: error.message, exit: error.code == .refused ? 3 : 1)
        } catch let error where ClientError.describing(error, replica: replicaPath) != nil {
            let mapped = ClientError.describing(error, replica: replicaPath)!
            fail(arguments, code: mapped.code.description, message: mapped.message, exit: 1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            // An exit status that is an answer (search found nothing), not an error.
            if error is ExitCode { Foundation.exit(code.rawValue) }
            if GlobalOptions.wantsJSON(arguments) {
                fail(
                    arguments, code: "usage", message: message(for: error),
                    exit: code == .validationFailure ? 2 : code.rawValue)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }

    /// Says what went wrong on stderr — `error: MESSAGE`, or with `--json` one JSON object
    /// (`{"error": CODE, "exitCode": N, "message": MESSAGE}`) — and exits.
    static func fail(_ arguments: [String], code: String, message: String, exit status: Int32) -> Never {
        if GlobalOptions.wantsJSON(arguments) {
            let body = JSONError(error: code, message: message, exitCode: status)
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardError.write(((try? e.encode(body)) ?? Data()) + Data("\n".utf8))
        } else {
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        }
        Foundation.exit(status)
    }

    /// An error as `--json` prints it on stderr.
    struct JSONError: Encodable {
        var error: String
        var message: String
        var exitCode: Int32
    }

    /// The replica folder named on the command line, for error messages.
    static var replicaPath: String {
        let args = CommandLine.arguments
        if let i = args.firstIndex(of: "--home"), i + 1 < args.count { return args[i + 1] }
        if let arg = args.first(where: { $0.hasPrefix("--home=") }) { return String(arg.dropFirst(7)) }
        return GlobalOptions.homeURL(nil).path
    }
}
