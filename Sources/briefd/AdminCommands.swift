import ArgumentParser
import BriefSyncModel
import BriefSyncServer
import Foundation

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users.", subcommands: [Add.self, List.self, Disable.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user. Without --password-stdin a random password is made and printed once.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The user name.") var name: String
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func validate() throws {
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }),
                Wire.Validation.nameProblem(name, what: "the user name") == nil
            else {
                throw ValidationError("user names use letters, digits, '-', '_' and '.' (at most 64 bytes)")
            }
        }

        func run() async throws {
            let password: String
            if passwordStdin {
                password = readLine(strippingNewline: true) ?? ""
                guard password.count >= 8 else {
                    throw AdminError("the password needs at least 8 characters; nothing was changed")
                }
            } else {
                password = BearerToken.make().prefix(20).description
            }
            let store = try await data.store()
            _ = try await store.addUser(name: name, passwordHash: try PasswordHasher.hash(password), now: now())
            print(passwordStdin ? "Added user \(name)." : "Added user \(name) with password: \(password)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var data: DataOptions

        func run() async throws {
            for user in try await data.store().users() {
                print(user.name + (user.disabled ? " (disabled)" : ""))
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user and revoke their tokens.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The user name.") var name: String

        func run() async throws {
            try await data.store().setDisabled(name, true)
            print("Disabled \(name); their tokens are revoked.")
        }
    }
}

struct TeamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team", abstract: "Manage teams.",
        subcommands: [Add.self, AddMember.self, RemoveMember.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a team.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The team name.") var name: String

        func run() async throws {
            try await data.store().addTeam(name: name, now: now())
            print("Added team \(name).")
        }
    }

    struct AddMember: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-member", abstract: "Add a member, or change their role.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The team.") var team: String
        @Argument(help: "The user.") var user: String
        @Option(help: "owner, editor, commenter or viewer.") var role: Wire.Role

        func run() async throws {
            try await data.store().setMember(team: team, user: user, role: role)
            print("\(user) is \(role.rawValue) of \(team).")
        }
    }

    struct RemoveMember: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-member", abstract: "Remove a member.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The team.") var team: String
        @Argument(help: "The user.") var user: String

        func run() async throws {
            try await data.store().setMember(team: team, user: user, role: nil)
            print("Removed \(user) from \(team).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List teams and members.")
        @OptionGroup var data: DataOptions

        func run() async throws {
            for team in try await data.store().teams() {
                print(team.name)
                for m in team.members { print("  \(m.user)  \(m.role.rawValue)") }
            }
        }
    }
}

extension Wire.Role: ExpressibleByArgument {}

func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
