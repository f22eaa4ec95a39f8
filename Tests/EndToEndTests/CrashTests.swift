import Foundation
import GRDB
import TestSupport
import Testing

/// kill -9 of the real binaries at random points. `swift test` runs a few kill points;
/// `BRIEF_KILL_ROUNDS=N` runs more (the seed is printed; `BRIEF_KILL_SEED` picks another).
@Suite(.serialized) struct CrashTests {
    static var rounds: Int { ProcessInfo.processInfo.environment["BRIEF_KILL_ROUNDS"].flatMap(Int.init) ?? 10 }
    static var seed: UInt64 { ProcessInfo.processInfo.environment["BRIEF_KILL_SEED"].flatMap(UInt64.init) ?? 42 }

    static let doc = """
        Shipping lanes
        Overview
        Convoys crossed the strait under escort at dawn.
        Insurers raised premiums again this week.
        Outlook
        Talks on a joint patrol resume next month.
        """

    /// Every note on a replica, by text.
    static func notes(_ team: TeamFixture, _ user: String, _ id: String) throws -> [String] {
        let show = try team.json(user, ["show", id]) as? [String: Any] ?? [:]
        return (show["annotations"] as? [[String: Any]] ?? []).compactMap { $0["note"] as? String }.sorted()
    }

    /// briefd killed while several `brief sync` run: after a restart every change a sync reported
    /// as pushed is on the server; at the end every replica holds every note once.
    @Test func briefdKilledWhileClientsPushLosesNothingAcknowledged() throws {
        let users = ["u0", "u1", "u2"]
        let team = try TeamFixture(
            "kill-briefd", members: [("u0", "owner"), ("u1", "editor"), ("u2", "editor"), ("audit", "viewer")])
        defer { team.remove() }
        let port = ServerProcess.freePort()
        var server = try ServerProcess.start(data: team.data, port: port)
        defer { server.stop() }
        for u in users + ["audit"] { #expect(try team.join(u, server: server.url).status == 0) }
        let id = try team.brief("u0", ["import", team.dir.write("doc.txt", Self.doc)]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try team.brief("u0", ["sync"]).status == 0)
        for u in users.dropFirst() { #expect(try team.brief(u, ["sync"]).status == 0) }

        var rng = SeededGenerator(seed: Self.seed)
        print("briefdKilled: seed \(Self.seed), \(Self.rounds) kill points")
        var written: [String: [String]] = [:]  // user → notes written, in order
        var acknowledged = Set<String>()
        var inFlight = 0
        for round in 0..<Self.rounds {
            // Local work, then concurrent syncs, then the kill at a random point.
            var before: [String: Int] = [:]
            for u in users {
                for k in 0..<Int.random(in: 1...3, using: &rng) {
                    let note = "\(u)-r\(round)-n\(k)"
                    let quote = ["Convoys", "strait", "Insurers", "premiums", "patrol"].randomElement(using: &rng)!
                    let r = try team.brief(u, ["annotate", id, "--quote", quote, "--note", note])
                    #expect(r.status == 0, "\(r.stderr)")
                    written[u, default: []].append(note)
                }
                before[u] = written[u]!.count
            }
            let syncs = try users.map { u in
                try ProcessRunner.start("brief", ["sync", "--batch", "1", "--home", team.home(u)])
            }
            usleep(UInt32.random(in: 0..<400_000, using: &rng))
            let alive = server.process.isRunning
            server.kill9()
            for (u, sync) in zip(users, syncs) {
                guard let result = try sync.finish() else { continue }
                if result.status == 0 {
                    acknowledged.formUnion(written[u]!.prefix(before[u]!))
                } else {
                    inFlight += 1
                    #expect(result.stderr.contains("stay queued"), "\(result.stderr)")
                }
            }
            #expect(alive)
            // Restarted: what was acknowledged survived the kill.
            server = try ServerProcess.start(data: team.data, port: port)
            let audit = try team.brief("audit", ["sync"])
            #expect(audit.status == 0, "\(audit.stderr)")
            let onServer = Set(try Self.notes(team, "audit", id))
            let missing = acknowledged.subtracting(onServer)
            #expect(missing.isEmpty, "round \(round): acknowledged but gone after kill -9: \(missing.sorted())")
        }
        print("briefdKilled: \(inFlight) sync(s) cut by a kill, \(acknowledged.count) notes acknowledged before one")
        for _ in 0..<2 {
            for u in users + ["audit"] {
                let r = try team.brief(u, ["sync"])
                #expect(r.status == 0, "\(r.stderr)")
            }
        }
        let all = written.values.flatMap { $0 }.sorted()
        for u in users + ["audit"] {
            #expect(try Self.notes(team, u, id) == all, "\(u) differs: every note exactly once")
        }
        let views = try (users + ["audit"]).map { try team.brief($0, ["show", id, "--json"]).stdout }
        #expect(Set(views).count == 1)
    }

    /// `brief` killed during sync, import, annotate and edit: the replica opens, passes
    /// `PRAGMA integrity_check`, holds every change whose command printed success, and the next
    /// sync converges with no duplicate.
    @Test func briefKilledMidCommandKeepsEverySuccessfulChange() throws {
        let team = try TeamFixture("kill-brief", members: [("ann", "editor"), ("bob", "editor")])
        defer { team.remove() }
        let server = try ServerProcess.start(data: team.data)
        defer { server.stop() }
        for u in ["ann", "bob"] { #expect(try team.join(u, server: server.url).status == 0) }
        let id = try team.brief("ann", ["import", team.dir.write("doc.txt", Self.doc)]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var rng = SeededGenerator(seed: Self.seed &+ 1)
        print("briefKilled: seed \(Self.seed &+ 1), \(Self.rounds * 4) kill points")
        var notes: [String] = []
        var imports: [String] = []
        var edits: [String] = []
        var killedCount = 0
        for round in 0..<(Self.rounds * 4) {
            let delay = UInt32.random(in: 0..<150_000, using: &rng)
            let home = team.home("ann")
            let args: [String]
            let what: String
            switch Int.random(in: 0..<4, using: &rng) {
            case 0:
                what = "note-\(round)"
                args = ["annotate", id, "--quote", "Convoys", "--note", what]
            case 1:
                what = "Imported \(round)"
                args = ["import", team.dir.write("i\(round).txt", "Imported \(round)\nBody\nText \(round).")]
            case 2:
                what = "Outlook as of round \(round)."
                args = ["edit", id, "--section", "Outlook", "--text", what]
            default:
                what = ""
                args = ["sync"]
            }
            let run = try ProcessRunner.runKilled("brief", args + ["--home", home], afterMicroseconds: delay)
            if run.killed { killedCount += 1 }
            try Self.checkIntegrity(home)
            #expect(try team.brief("ann", ["status"]).status == 0)
            guard let result = run.result, result.status == 0 else { continue }
            switch args[0] {
            case "annotate": notes.append(what)
            case "import": imports.append(what)
            case "edit": edits.append(what)
            default: break
            }
            // Printed success: the change is there now.
            if args[0] == "annotate" { #expect(try Self.notes(team, "ann", id).contains(what)) }
            if args[0] == "import" {
                let list = try team.json("ann", ["list"]) as? [[String: Any]] ?? []
                #expect(list.contains { $0["title"] as? String == what })
            }
        }
        print("briefKilled: \(killedCount) command(s) killed mid-way")
        for u in ["ann", "bob", "ann", "bob"] {
            let r = try team.brief(u, ["sync"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let annNotes = try Self.notes(team, "ann", id)
        #expect(Set(notes).isSubset(of: Set(annNotes)))
        #expect(annNotes.count == Set(annNotes).count, "a note was duplicated: \(annNotes)")
        #expect(try Self.notes(team, "bob", id) == annNotes)
        let listA = try team.brief("ann", ["list", "--json"]).stdout
        #expect(listA == (try team.brief("bob", ["list", "--json"]).stdout))
        let titles = (try JSONSerialization.jsonObject(with: Data(listA.utf8)) as? [[String: Any]] ?? [])
            .compactMap { $0["title"] as? String }
        #expect(Set(imports).isSubset(of: Set(titles)))
        #expect(titles.count == Set(titles).count, "an import was duplicated")
        #expect(
            try team.brief("ann", ["show", id, "--json"]).stdout
                == (try team.brief("bob", ["show", id, "--json"]).stdout))
    }

    static func checkIntegrity(_ home: String) throws {
        let queue = try DatabaseQueue(path: home + "/replica.sqlite")
        let result = try queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
        #expect(result == ["ok"], "\(home): \(result)")
        try queue.close()
    }
}
