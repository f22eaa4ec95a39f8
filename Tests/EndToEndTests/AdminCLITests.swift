import Foundation
import GRDB
import TestSupport
import Testing

/// The admin commands of `briefd` through the binary, in the order an admin meets them.
@Suite struct AdminCLITests {
    func briefd(_ args: [String], _ data: String, stdin: String? = nil) throws -> ProcessRunner.Result {
        try ProcessRunner.run("briefd", args + ["--data", data], stdin: stdin)
    }

    @Test func usersTokensTeamsAndStats() throws {
        let team = try TeamFixture("e2e-admin", members: [("ann", "owner")])
        defer { team.remove() }
        let server = try ServerProcess.start(data: team.data)
        defer { server.stop() }
        #expect(try team.join("ann", server: server.url, team: "analysts").status == 0)
        #expect(try team.importTalks("ann").status == 0)
        #expect(try team.brief("ann", ["sync"]).status == 0)

        let tokens = try briefd(["user", "tokens", "ann"], team.data)
        let lines = tokens.stdout.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasSuffix(" live"), "\(tokens.stdout)")
        let id = String(lines[0].prefix(12))
        let hex = id.allSatisfy { $0.isHexDigit }
        #expect(hex)
        let revoked = try briefd(["user", "revoke", "ann", "--token", id], team.data)
        #expect(revoked.status == 0 && revoked.stdout == "Revoked 1 token of ann.\n", "\(revoked.stderr)")
        #expect(try team.brief("ann", ["sync"]).status == 1, "the revoked token is refused")
        let after = try briefd(["user", "tokens", "ann"], team.data)
        #expect(after.stdout.hasSuffix(" revoked\n"))
        let again = try briefd(["user", "revoke", "ann", "--token", id], team.data)
        #expect(again.status == 1 && again.stderr.hasPrefix("error: ann has no live token"), "\(again.stderr)")

        #expect(try briefd(["user", "disable", "ann"], team.data).status == 0)
        #expect(try team.login("ann", server: server.url).status != 0)
        #expect(try briefd(["user", "enable", "ann"], team.data).stdout == "Enabled ann; they can log in again.\n")
        let passwd = try briefd(["user", "passwd", "ann", "--password-stdin"], team.data, stdin: "a-new-password\n")
        #expect(passwd.stdout == "Set the password of ann; their tokens are revoked.\n")
        #expect(try team.login("ann", server: server.url).status != 0, "the old password is refused")
        let login = try team.brief(
            "ann", ["login", "--server", server.url, "--user", "ann", "--password-stdin"], stdin: "a-new-password\n")
        #expect(login.status == 0, "\(login.stderr)")

        let renamed = try briefd(["team", "rename", "analysts", "research"], team.data)
        #expect(
            renamed.stdout == "Renamed team analysts to research (1 briefings carry the new name).\n",
            "\(renamed.stderr)")
        #expect(try team.brief("ann", ["sync"]).status == 0)
        // The replica's briefing names the new team (its state as stored).
        let replica = try DatabaseQueue(path: team.home("ann") + "/replica.sqlite")
        let state = try replica.read {
            try String.fetchOne($0, sql: "SELECT state FROM records WHERE kind = 'briefing'")
        }
        let fields = (try JSONSerialization.jsonObject(with: Data((state ?? "{}").utf8)) as? [String: Any])?["fields"]
        #expect(((fields as? [String: Any])?["team"] as? [String: Any])?["v"] as? String == "research")

        let stats = try briefd(["stats", "--json"], team.data)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        #expect(object["users"] as? Int == 1 && object["teams"] as? Int == 1 && object["briefings"] as? Int == 1)
        #expect((object["bytes"] as? Int ?? 0) > 0 && (object["highestSeq"] as? Int ?? 0) >= 2)
    }

    /// A damaged database and a data folder another briefd holds are said in one sentence.
    @Test func aDamagedOrHeldDatabaseIsSaid() throws {
        let dir = TemporaryDirectory("e2e-admin-damaged")
        defer { dir.remove() }
        let data = dir.file("data").path
        #expect(try briefd(["team", "add", "analysts"], data).status == 0)
        let held = try ServerProcess.start(data: data)
        let second = try ProcessRunner.run("briefd", ["serve", "--data", data, "--port", "0"])
        held.stop()
        #expect(second.status == 1 && second.stderr.hasPrefix("error: "), "\(second.stderr)")
        #expect(second.stderr.contains("another briefd"), "\(second.stderr)")
        let file = data + "/briefd.sqlite"
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: file))
        let damaged = try ProcessRunner.run("briefd", ["serve", "--data", data, "--port", "0"])
        #expect(damaged.status == 1)
        #expect(damaged.stderr.hasPrefix("error: \(file) is damaged"), "\(damaged.stderr)")
        #expect(damaged.stderr.contains("restore it from a backup"))
        #expect(damaged.stderr.split(separator: "\n").count == 1)
    }
}
