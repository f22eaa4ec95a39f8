import Foundation
import TestSupport
import Testing

/// A few simulation seeds through the built binaries: a `briefd serve` process on loopback and
/// one `brief` home per user, every step a `brief` command (so every step also reopens the
/// replica from its SQLite file). After two syncs each, every replica shows the same briefings,
/// annotations and conflicts.
@Suite struct BinarySimulationTests {
    static let docs = [
        "Grain talks\nSetting the Scene\nNegotiators met in Istanbul.\nThe mood was workmanlike.\nKey Topics\nInspections remain the sticking point.",
        "# Chips\n## Summary\nNew export rules tighten licensing.\nVendors expect delays.",
        "Ministerial note\nThe ministers met for forty minutes.\nNo joint statement was issued.",
        "Café talks in 北京\nOverview\nThe délégation met in Zürich 🌏.",
    ]

    struct Team {
        let dir: TemporaryDirectory
        let users: [String]

        func brief(_ user: String, _ args: [String], stdin: String? = nil) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", dir.file(user).path], stdin: stdin)
        }

        func json(_ user: String, _ args: [String]) throws -> Any {
            let r = try brief(user, args + ["--json"])
            return (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) ?? []
        }

        func briefings(_ user: String) throws -> [[String: Any]] {
            let ids = (try json(user, ["list"]) as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }.sorted()
            return try ids.compactMap { try json(user, ["show", $0]) as? [String: Any] }
        }

        /// Everything a person sees, as one canonical JSON string.
        func view(_ user: String) throws -> String {
            let all: [Any] = [try briefings(user), try json(user, ["conflicts"])]
            return String(
                decoding: try JSONSerialization.data(withJSONObject: all, options: [.sortedKeys]), as: UTF8.self)
        }
    }

    @Test(arguments: [UInt64(7001), 7002])
    func replicasConvergeThroughTheBinaries(seed: UInt64) throws {
        let dir = TemporaryDirectory("binsim")
        defer { dir.remove() }
        let data = dir.file("server").path
        let users = (0..<3).map { "u\($0)" }
        #expect(try ProcessRunner.run("briefd", ["team", "add", "t", "--data", data]).status == 0)
        for (i, u) in users.enumerated() {
            #expect(
                try ProcessRunner.run(
                    "briefd", ["user", "add", u, "--password-stdin", "--data", data], stdin: "password-\(u)\n"
                ).status == 0)
            let role = i == 0 ? "owner" : "editor"
            #expect(
                try ProcessRunner.run("briefd", ["team", "add-member", "t", u, "--role", role, "--data", data]).status
                    == 0)
        }
        let server = try SyncCLITests().startServer(data: data)
        defer {
            server.0.terminate()
            server.0.waitUntilExit()
        }
        let team = Team(dir: dir, users: users)
        for u in users {
            #expect(try team.brief(u, ["init", "--name", u]).status == 0)
            let login = try team.brief(
                u,
                ["login", "--server", "http://127.0.0.1:\(server.1)", "--user", u, "--password-stdin", "--team", "t"],
                stdin: "password-\(u)\n")
            #expect(login.status == 0, "\(login.stderr)")
        }
        let ops = SimulationOp.program(seed: seed, replicas: users.count, length: 18)
        for op in ops { try run(op, team) }
        for _ in 0..<2 {
            for u in users {
                let r = try team.brief(u, ["sync"])
                #expect(r.status == 0, "seed \(seed): \(r.stderr)")
            }
        }
        let views = try users.map { try team.view($0) }
        #expect(
            views.allSatisfy { $0 == views[0] },
            "seed \(seed): replicas differ; program:\n\(ops.map(\.description).joined(separator: "\n"))")
        #expect(try users.allSatisfy { (try team.json($0, ["status"]) as? [String: Any])?["pending"] as? Int == 0 })
    }

    private func run(_ op: SimulationOp, _ team: Team) throws {
        func pick<T>(_ items: [T], _ seed: UInt64) -> T? {
            items.isEmpty ? nil : items[Int(seed % UInt64(items.count))]
        }
        switch op {
        case .importDoc(let r, let d):
            _ = try team.brief(team.users[r], ["import", team.dir.write("doc\(d).txt", Self.docs[d])])
        case .editSection(let r, let p):
            let u = team.users[r]
            guard let b = pick(try team.briefings(u), p), let id = b["id"] as? String,
                let s = pick(b["sections"] as? [[String: Any]] ?? [], p >> 8), let key = s["key"] as? String
            else { return }
            _ = try team.brief(
                u, ["edit", id, "--section", key, "--text", (s["text"] as? String ?? "") + "\nedit \(p % 997)"])
        case .annotate(let r, let p):
            let u = team.users[r]
            guard let b = pick(try team.briefings(u), p), let id = b["id"] as? String,
                let s = pick(
                    (b["sections"] as? [[String: Any]] ?? []).filter { !($0["text"] as? String ?? "").isEmpty }, p >> 8),
                let word = pick((s["text"] as? String ?? "").split(separator: " ").map(String.init), p >> 16)
            else { return }
            _ = try team.brief(
                u,
                [
                    "annotate", id, "--quote", word, "--note", "n\(p % 97)", "--section", s["key"] as? String ?? "",
                    "--occurrence", "1",
                ])
        case .editNote(let r, let p), .delete(let r, let p):
            let u = team.users[r]
            let mine = try team.briefings(u).flatMap { $0["annotations"] as? [[String: Any]] ?? [] }
                .filter { ($0["author"] as? String) == u || u == "u0" }
            guard let a = pick(mine, p), let id = a["id"] as? String else { return }
            if case .editNote = op {
                _ = try team.brief(u, ["note", id, "--text", "note \(p % 991)"])
            } else {
                _ = try team.brief(u, ["rm", id])
            }
        case .tag(let r, let p), .untag(let r, let p):
            let u = team.users[r]
            guard let b = pick(try team.briefings(u), p), let id = b["id"] as? String else { return }
            if case .tag = op {
                _ = try team.brief(u, ["tag", id, ["red", "blue"][Int(p % 2)]])
            } else if let t = pick(b["tags"] as? [String] ?? [], p >> 4) {
                _ = try team.brief(u, ["untag", id, t])
            }
        case .resolve(let r, let p):
            let u = team.users[r]
            guard let c = pick(try team.json(u, ["conflicts"]) as? [[String: Any]] ?? [], p),
                let id = c["id"] as? String
            else {
                return
            }
            _ = try team.brief(u, ["resolve", id, "--keep", ["mine", "theirs", "base"][Int(p % 3)]])
        case .sync(let r, _):
            _ = try team.brief(team.users[r], ["sync"])
        case .restart, .login, .membership:
            return  // every brief command starts from the SQLite file; every user is a member here
        }
    }
}
