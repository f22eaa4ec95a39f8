import ArgumentParser
import BriefSyncClient
import BriefSyncModel
import Foundation

extension Wire.Role: ExpressibleByArgument {}

struct Members: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "members",
        abstract: "List the members of your team and their roles (needs the server).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "The team (default: the team you logged in with).") var team: String?

    func run() async throws {
        let list = try await global.serverClient().members(team: team)
        let width = list.members.map(\.user.count).max() ?? 4
        let text = list.members.map { TextLayout.pad($0.user, max(width, 4)) + "  " + $0.role.rawValue }
            .joined(separator: "\n")
        try global.emit(list, text: "Team \(list.team):\n" + text)
    }
}

struct Member: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member",
        abstract: "Add or remove a team member, or change their role (owners only; needs the server).",
        discussion: """
            Roles: viewer (reads), commenter (also annotates), editor (also writes briefings),
            owner (also manages members). A team always keeps at least one owner.
            Examples:
              brief member add bob --role editor
              brief member role bob commenter
              brief member remove bob
            """,
        subcommands: [Add.self, Role.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a user (with an account on the server) to the team.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user name.") var user: String
        @Option(help: "viewer, commenter, editor or owner.") var role: Wire.Role = .commenter
        @Option(help: "The team (default: the team you logged in with).") var team: String?

        func run() async throws {
            try await global.serverClient().setMember(user, role: role, team: team)
            try global.emit(["user": user, "role": role.rawValue], text: "\(user) is now \(role.rawValue).")
        }
    }

    struct Role: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "role", abstract: "Change a member's role.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user name.") var user: String
        @Argument(help: "viewer, commenter, editor or owner.") var role: Wire.Role
        @Option(help: "The team (default: the team you logged in with).") var team: String?

        func run() async throws {
            try await global.serverClient().setMember(user, role: role, team: team)
            try global.emit(["user": user, "role": role.rawValue], text: "\(user) is now \(role.rawValue).")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a member; their annotations stay, they lose access.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user name.") var user: String
        @Option(help: "The team (default: the team you logged in with).") var team: String?

        func run() async throws {
            try await global.serverClient().setMember(user, role: nil, team: team)
            try global.emit(["user": user, "removed": "yes"], text: "\(user) is no longer a member.")
        }
    }
}

struct Passwd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd",
        abstract: "Change your password on the server; every other session is logged out.",
        discussion: """
            Asks for the current and the new password (twice) on the terminal, or reads them
            from the first two lines of standard input with --password-stdin. This replica
            keeps working with the new token the server answers with; other devices log in again.
            """)
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Read the current password, then the new one, from standard input (one per line).")
    var passwordStdin = false

    func run() async throws {
        let client = try global.serverClient()
        let current: String
        let new: String
        if passwordStdin {
            current = readLine(strippingNewline: true) ?? ""
            new = readLine(strippingNewline: true) ?? ""
        } else {
            current = try Login.ask("Current password: ", command: "brief passwd")
            new = try Login.ask("New password: ", command: "brief passwd")
            guard try Login.ask("New password again: ", command: "brief passwd") == new else {
                throw ClientError(.invalidArgument, "the two new passwords differ; nothing was changed")
            }
        }
        try await client.changePassword(current: current, new: new)
        try global.emit(["status": "changed"], text: "Password changed; other sessions are logged out.")
    }
}
