import Foundation
import TestSupport
import Testing

/// `brief members`, `brief member add|role|remove` and `brief passwd` against a real briefd.
@Suite struct TeamCLITests {
    @Test func ownersManageMembersAndATeamKeepsAnOwner() throws {
        let team = try TeamFixture("team-members", members: [("olga", "owner"), ("ed", "editor"), ("vic", "viewer")])
        defer { team.remove() }
        try team.addUser("newbie")
        let server = try ServerProcess.start(data: team.data)
        defer { server.stop() }
        for who in ["olga", "ed"] { #expect(try team.join(who, server: server.url, team: "analysts").status == 0) }

        // Any member sees the list, in byte order of names.
        let listed = try team.brief("ed", ["members"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout == "Team analysts:\ned    editor\nolga  owner\nvic   viewer\n", "\(listed.stdout)")
        let json = try #require(try team.json("ed", ["members"]) as? [String: Any])
        #expect(json["team"] as? String == "analysts")
        #expect((json["members"] as? [[String: String]])?.map { $0["user"]! } == ["ed", "olga", "vic"])

        // Only owners change it; the refusal says which role is needed and changes nothing.
        let denied = try team.brief("ed", ["member", "add", "newbie"])
        #expect(denied.status == 1)
        #expect(
            denied.stderr
                == "error: your role in team 'analysts' is editor; to manage members you need owner or above\n",
            "\(denied.stderr)")
        #expect(
            try team.brief("olga", ["member", "add", "newbie", "--role", "viewer"]).stdout == "newbie is now viewer.\n")
        #expect(try team.brief("olga", ["member", "role", "newbie", "editor"]).status == 0)
        #expect(try team.brief("olga", ["members"]).stdout.contains("newbie  editor\n"))
        #expect(try team.brief("olga", ["member", "remove", "newbie"]).stdout == "newbie is no longer a member.\n")
        #expect(!(try team.brief("olga", ["members"]).stdout.contains("newbie")))

        // The last owner cannot leave or step down; with a second owner they can.
        let alone = try team.brief("olga", ["member", "remove", "olga"])
        #expect(alone.status == 1)
        #expect(alone.stderr.contains("olga is the only owner of team 'analysts'; make another member owner first"))
        #expect(try team.brief("olga", ["member", "role", "olga", "editor"]).status == 1)
        #expect(try team.brief("olga", ["members"]).stdout.contains("olga  owner\n"))
        #expect(try team.brief("olga", ["member", "role", "ed", "owner"]).status == 0)
        #expect(try team.brief("olga", ["member", "role", "olga", "editor"]).status == 0)

        // Not a member, or no such team: the same answer.
        try team.setRole("newbie", "viewer", team: "analysts")
        _ = try ProcessRunner.run("briefd", ["team", "add", "secret", "--data", team.data])
        let other = try team.brief("ed", ["members", "--team", "secret"])
        let none = try team.brief("ed", ["members", "--team", "nothing-here"])
        #expect(other.status == 1 && other.stderr == "error: no such team or record\n", "\(other.stderr)")
        #expect(none.stderr == other.stderr)
        let badRole = try team.brief("olga", ["member", "add", "newbie", "--role", "boss"])
        #expect(badRole.status == 2)
    }

    @Test func passwdChangesThePasswordAndEndsOtherSessions() throws {
        let team = try TeamFixture("team-passwd", members: [("vic", "editor")])
        defer { team.remove() }
        let server = try ServerProcess.start(data: team.data)
        defer { server.stop() }
        #expect(try team.join("vic", server: server.url, team: "analysts").status == 0)
        let laptop = team.dir.file("laptop").path
        func onLaptop(_ args: [String], stdin: String? = nil) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", laptop], stdin: stdin)
        }
        #expect(try onLaptop(["init", "--name", "vic"]).status == 0)
        let login = ["login", "--server", server.url, "--user", "vic", "--password-stdin"]
        #expect(try onLaptop(login, stdin: TeamFixture.password + "\n").status == 0)

        let wrong = try team.brief("vic", ["passwd", "--password-stdin"], stdin: "not-it\nnew-pass-123\n")
        #expect(wrong.status == 1 && wrong.stderr == "error: the current password is wrong; nothing was changed\n")
        let short = try team.brief("vic", ["passwd", "--password-stdin"], stdin: TeamFixture.password + "\nshort\n")
        #expect(short.status == 1)
        #expect(short.stderr == "error: the new password needs at least 8 characters; nothing was changed\n")
        let changed = try team.brief(
            "vic", ["passwd", "--password-stdin"], stdin: TeamFixture.password + "\nnew-pass-123\n")
        #expect(changed.status == 0 && changed.stdout == "Password changed; other sessions are logged out.\n")
        // This replica keeps syncing with the new token; the laptop's session ended.
        #expect(try team.brief("vic", ["sync"]).status == 0)
        let ended = try onLaptop(["sync"])
        #expect(ended.status == 1 && ended.stderr.contains("run 'brief login' again"), "\(ended.stderr)")
        #expect(try onLaptop(login, stdin: TeamFixture.password + "\n").status == 1)
        #expect(try onLaptop(login, stdin: "new-pass-123\n").status == 0)
        // Without a terminal and without --password-stdin it refuses instead of sending nothing.
        let noTerminal = try team.brief("vic", ["passwd"])
        #expect(noTerminal.status == 1 && noTerminal.stderr.contains("--password-stdin"), "\(noTerminal.stderr)")
    }
}
