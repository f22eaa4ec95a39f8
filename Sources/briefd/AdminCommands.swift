import ArgumentParser
import BriefSyncModel
import BriefSyncServer
import Foundation

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users.",
        subcommands: [Add.self, List.self, Disable.self, Enable.self, Passwd.self, Tokens.self, Revoke.self])

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
            let password = try newPassword(fromStandardInput: passwordStdin)
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

extension UserCommand {
    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user (they log in again).")
        @OptionGroup var data: DataOptions
        @Argument(help: "The user name.") var name: String

        func run() async throws {
            try await data.store().setDisabled(name, false)
            print("Enabled \(name); they can log in again.")
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's password and revoke their tokens (every device logs in again).",
            discussion: "Without --password-stdin a random password is made and printed once.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The user name.") var name: String
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() async throws {
            let password = try newPassword(fromStandardInput: passwordStdin)
            try await data.store().setPassword(name, hash: try PasswordHasher.hash(password))
            print(
                passwordStdin
                    ? "Set the password of \(name); their tokens are revoked."
                    : "Set the password of \(name) to: \(password) (their tokens are revoked)")
        }
    }

    struct Tokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a user's tokens (ids are the start of each token's hash; tokens are never stored).")
        @OptionGroup var data: DataOptions
        @Argument(help: "The user name.") var name: String

        func run() async throws {
            let t = now()
            let tokens = try await data.store().tokens(of: name)
            if tokens.isEmpty { print("\(name) has no tokens.") }
            for token in tokens {
                let state = token.revoked ? "revoked" : token.expires <= t ? "expired" : "live"
                print("\(token.id)  created \(Self.date(token.created))  expires \(Self.date(token.expires))  \(state)")
            }
        }

        static func date(_ ms: Int64) -> String {
            Date(timeIntervalSince1970: Double(ms) / 1000).formatted(
                .iso8601.year().month().day().time(includingFractionalSeconds: false))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke one of a user's tokens (by the id 'briefd user tokens' shows) or all of them.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The user name.") var name: String
        @Option(help: "The token id (at least 6 hex digits).") var token: String?
        @Flag(help: "Revoke every token of the user.") var all = false

        func validate() throws {
            guard (token == nil) != !all else { throw ValidationError("give --token ID or --all") }
        }

        func run() async throws {
            let count = try await data.store().revokeTokens(of: name, id: token)
            guard count > 0 || all else {
                throw AdminError("\(name) has no live token \(token ?? ""); nothing was changed")
            }
            print("Revoked \(count) token\(count == 1 ? "" : "s") of \(name).")
        }
    }
}

/// `briefd stats`: what the store holds.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Show what the server holds.")
    @OptionGroup var data: DataOptions
    @Flag(help: "As JSON.") var json = false

    func run() async throws {
        let s = try await data.store().stats()
        if json {
            print(String(decoding: try WireJSON.data(s), as: UTF8.self))
            return
        }
        print(
            """
            epoch \(s.epoch), changes up to #\(s.highestSeq)
            \(s.users) users, \(s.teams) teams
            \(s.records) records: \(s.briefings) briefings, \(s.annotations) annotations, \(s.conflicts) conflicts
            \(s.versions) versions
            \(s.bytes) bytes
            """)
    }
}

struct TeamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team", abstract: "Manage teams.",
        subcommands: [Add.self, AddMember.self, RemoveMember.self, List.self, Rename.self])

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

    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rename a team.",
            discussion: """
                Its briefings get a new version naming the team, so every replica shows the new name \
                after its next sync; members then run 'brief login --team NEW' so new briefings go there.
                """)
        @OptionGroup var data: DataOptions
        @Argument(help: "The team's name now.") var old: String
        @Argument(help: "Its new name.") var new: String

        func run() async throws {
            let count = try await data.store().renameTeam(old, to: new, now: now())
            print("Renamed team \(old) to \(new) (\(count) briefings carry the new name).")
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

/// A new password: the first line of standard input (at least 8 characters), or a random one.
func newPassword(fromStandardInput: Bool) throws -> String {
    guard fromStandardInput else { return BearerToken.make().prefix(20).description }
    let password = readLine(strippingNewline: true) ?? ""
    guard password.count >= 8 else {
        throw AdminError("the password needs at least 8 characters; nothing was changed")
    }
    return password
}

func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
