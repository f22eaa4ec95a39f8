import BriefSyncPostgres
import BriefSyncServer
import Foundation
import TestSupport
import Testing

/// The PostgreSQL server the tests may create databases on.
let postgresForTests = ProcessInfo.processInfo.environment["BRIEFSYNC_TEST_POSTGRES"].flatMap {
    try? PostgresAddress($0)
}

/// `briefd --database postgres://…` through the built binaries: the admin commands and two
/// servers on one database, with `brief` clients split between them.
///
/// Runs when `BRIEFSYNC_TEST_POSTGRES` names a PostgreSQL server (`.ci/run` starts one; under
/// `CI=true` the server tests fail without it).
@Suite(.enabled(if: postgresForTests != nil)) struct PostgresCLITests {
    static var admin: PostgresAddress? { postgresForTests }

    /// A new database for one test, as a `--database` address; dropped by the returned closure.
    static func database() async throws -> (String, @Sendable () async -> Void) {
        let admin = try #require(admin)
        let name = "briefsync_e2e_\(UUID().uuidString.prefix(8).lowercased())"
        try await PostgresSyncStore.administer("CREATE DATABASE \(name)", admin: admin)
        let address = PostgresSyncStore.address(admin, database: name)
        let url = "postgres://\(address.user)@\(address.host):\(address.port)/\(name)?sslmode=\(address.sslMode)"
        return (
            url,
            { try? await PostgresSyncStore.administer("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", admin: admin) }
        )
    }

    @Test func twoBriefdOnOneDatabaseServeOneTeam() async throws {
        let (database, drop) = try await Self.database()
        defer { Task { await drop() } }
        let dir = TemporaryDirectory("e2e-postgres")
        defer { dir.remove() }
        let password = "s3cret-pass\n"
        for args in [
            ["user", "add", "alice", "--password-stdin"], ["user", "add", "bob", "--password-stdin"],
            ["team", "add", "analysts"], ["team", "add-member", "analysts", "alice", "--role", "owner"],
            ["team", "add-member", "analysts", "bob", "--role", "editor"],
        ] {
            let r = try ProcessRunner.run("briefd", args + ["--database", database], stdin: password)
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
        // The environment variable works as the flag does.
        let listed = try ProcessRunner.run("briefd", ["team", "list"], environment: ["BRIEFD_DATABASE": database])
        #expect(listed.stdout == "analysts\n  alice  owner\n  bob  editor\n", "\(listed.stderr)")
        let data = dir.file("unused").path
        let one = try ServerProcess.start(data: data, extra: ["--database", database])
        defer { one.stop() }
        let two = try ServerProcess.start(data: data, extra: ["--database", database])
        defer { two.stop() }
        func brief(_ who: String, _ args: [String], stdin: String? = nil) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", dir.file(who).path], stdin: stdin)
        }
        for (who, server) in [("alice", one), ("bob", two)] {
            #expect(try brief(who, ["init", "--name", who]).status == 0)
            let login = try brief(
                who, ["login", "--server", server.url, "--user", who, "--password-stdin", "--team", "analysts"],
                stdin: password)
            #expect(login.status == 0, "\(login.stderr)")
        }
        let file = dir.file("talks.md").path
        try "# Talks\n\n## Key Topics\n\nShipping lanes and grain.\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        let imported = try brief("alice", ["import", file, "--json"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try brief("alice", ["sync"]).status == 0)
        #expect(try brief("bob", ["sync"]).status == 0)
        let list = try brief("bob", ["list", "--json"])
        let briefings = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
        let id = try #require(briefings?.first?["id"] as? String)
        #expect(try brief("bob", ["annotate", id, "--quote", "grain", "--note", "via the second server"]).status == 0)
        #expect(try brief("bob", ["sync"]).status == 0)
        #expect(try brief("alice", ["sync"]).status == 0)
        let a = try brief("alice", ["show", id, "--json"]).stdout
        let b = try brief("bob", ["show", id, "--json"]).stdout
        #expect(a == b && a.contains("via the second server"))
    }

    @Test func anUnreachableDatabaseIsSaidInOneLine() throws {
        let r = try ProcessRunner.run(
            "briefd", ["user", "list", "--database", "postgres://nobody@127.0.0.1:1/none?sslmode=disable"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: PostgreSQL at postgres://nobody@127.0.0.1:1/none refused:"), "\(r.stderr)")
        let bad = try ProcessRunner.run("briefd", ["user", "list", "--database", "mysql://x@y/z"])
        #expect(
            bad.status == 1 && bad.stderr.contains("postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE"), "\(bad.stderr)")
    }
}

extension PostgresCLITests {
    /// `briefd backup --database` writes every team as portable JSON; `briefd import` brings it
    /// into an embedded server, and `briefd export --team` from that back into PostgreSQL: the
    /// team's records and history cross both ways.
    @Test func backupAndExportMoveTeamsBetweenBackends() async throws {
        let (database, drop) = try await Self.database()
        defer { Task { await drop() } }
        let (second, dropSecond) = try await Self.database()
        defer { Task { await dropSecond() } }
        let dir = TemporaryDirectory("e2e-postgres-export")
        defer { dir.remove() }
        for args in [
            ["user", "add", "ann", "--password-stdin"], ["team", "add", "analysts"],
            ["team", "add-member", "analysts", "ann", "--role", "owner"],
        ] {
            let r = try ProcessRunner.run("briefd", args + ["--database", database], stdin: "s3cret-pass\n")
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
        let server = try ServerProcess.start(data: dir.file("unused").path, extra: ["--database", database])
        defer { server.stop() }
        func brief(_ args: [String], stdin: String? = nil) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", dir.file("ann").path], stdin: stdin)
        }
        #expect(try brief(["init", "--name", "ann"]).status == 0)
        #expect(
            try brief(
                ["login", "--server", server.url, "--user", "ann", "--password-stdin", "--team", "analysts"],
                stdin: "s3cret-pass\n"
            ).status == 0)
        let file = dir.file("talks.md").path
        try "# Talks\n\n## Key Topics\n\nShipping lanes and grain.\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        #expect(try brief(["import", file]).status == 0)
        #expect(try brief(["sync"]).status == 0)

        let backup = dir.file("all.json").path
        let made = try ProcessRunner.run("briefd", ["backup", "--to", backup, "--database", database])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.hasPrefix("Exported 1 teams (1 records) to \(backup)"), "\(made.stdout)")
        let mode = try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let embedded = dir.file("embedded").path
        let imported = try ProcessRunner.run("briefd", ["import", backup, "--data", embedded])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.hasPrefix("Imported team analysts: 1 records, 1 versions."), "\(imported.stdout)")

        let team = dir.file("team.json").path
        #expect(
            try ProcessRunner.run("briefd", ["export", "--team", "analysts", "--to", team, "--data", embedded]).status
                == 0)
        let back = try ProcessRunner.run("briefd", ["import", team, "--database", second])
        #expect(
            back.status == 0 && back.stdout.hasPrefix("Imported team analysts: 1 records, 1 versions."),
            "\(back.stderr)")
        // Importing the same team again is refused, and changes nothing.
        let again = try ProcessRunner.run("briefd", ["import", team, "--database", second])
        #expect(again.status == 1 && again.stderr.contains("already holds 1 records"), "\(again.stderr)")
    }
}

extension PostgresCLITests {
    /// PostgreSQL's own tools, from the newest installed server.
    static func pgTool(_ name: String) -> String? {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for v in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let path = "/usr/lib/postgresql/\(v)/bin/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// The documented PostgreSQL restore: pg_dump, more changes acknowledged, pg_restore of the
    /// dump, `briefd restore --database` (new epoch), then clients sync: the change the dump
    /// lacks comes back from its author's replica and reaches the team.
    @Test func aPgRestoreFollowedByBriefdRestoreIsHealedByClients() async throws {
        let dump = try #require(Self.pgTool("pg_dump"), "pg_dump is missing")
        let restore = try #require(Self.pgTool("pg_restore"), "pg_restore is missing")
        let (database, drop) = try await Self.database()
        defer { Task { await drop() } }
        let admin = try #require(Self.admin)
        let address = try PostgresAddress(database)
        let libpq = "postgresql://\(address.user)@\(address.host):\(address.port)/\(address.database)?sslmode=disable"
        let dir = TemporaryDirectory("e2e-postgres-restore")
        defer { dir.remove() }
        for args in [
            ["user", "add", "ann", "--password-stdin"], ["user", "add", "bob", "--password-stdin"],
            ["team", "add", "analysts"], ["team", "add-member", "analysts", "ann", "--role", "editor"],
            ["team", "add-member", "analysts", "bob", "--role", "editor"],
        ] {
            #expect(
                try ProcessRunner.run("briefd", args + ["--database", database], stdin: "s3cret-pass\n").status == 0)
        }
        var server = try ServerProcess.start(data: dir.file("unused").path, extra: ["--database", database])
        func brief(_ who: String, _ args: [String], stdin: String? = nil) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", dir.file(who).path], stdin: stdin)
        }
        for who in ["ann", "bob"] {
            #expect(try brief(who, ["init", "--name", who]).status == 0)
            #expect(
                try brief(
                    who, ["login", "--server", server.url, "--user", who, "--password-stdin", "--team", "analysts"],
                    stdin: "s3cret-pass\n"
                ).status == 0)
        }
        let file = dir.file("talks.md").path
        try "# Talks\n\n## Key Topics\n\nShipping lanes and grain.\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        #expect(try brief("ann", ["import", file]).status == 0)
        #expect(try brief("ann", ["sync"]).status == 0)
        #expect(try brief("bob", ["sync"]).status == 0)
        let archive = dir.file("briefd.dump").path
        let dumped = try ProcessRunner.runTool(dump, ["-Fc", "-f", archive, libpq])
        #expect(dumped.status == 0, "\(dumped.stderr)")
        // Acknowledged after the dump: ann's outbox no longer holds it.
        let list = try brief("ann", ["list", "--json"])
        let id = try #require(
            (try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])?.first?["id"]
                as? String)
        #expect(try brief("ann", ["annotate", id, "--quote", "grain", "--note", "written after the dump"]).status == 0)
        #expect(try brief("ann", ["sync"]).status == 0)

        server.stop()
        try await PostgresSyncStore.administer("DROP DATABASE \(address.database) WITH (FORCE)", admin: admin)
        try await PostgresSyncStore.administer("CREATE DATABASE \(address.database)", admin: admin)
        let restored = try ProcessRunner.runTool(restore, ["-d", libpq, archive])
        #expect(restored.status == 0, "\(restored.stderr)")
        let marked = try ProcessRunner.run("briefd", ["restore", "--database", database])
        #expect(
            marked.status == 0 && marked.stdout.hasPrefix("Marked the database restored: epoch "), "\(marked.stderr)")
        server = try ServerProcess.start(data: dir.file("unused").path, extra: ["--database", database])
        defer { server.stop() }
        for who in ["ann", "bob"] {
            #expect(
                try brief(
                    who, ["login", "--server", server.url, "--user", who, "--password-stdin"], stdin: "s3cret-pass\n"
                ).status == 0)
        }
        let healed = try brief("ann", ["sync"])
        #expect(healed.status == 0, "\(healed.stderr)")
        #expect(try brief("bob", ["sync"]).status == 0)
        #expect(try brief("bob", ["show", id]).stdout.contains("written after the dump"))
    }
}
