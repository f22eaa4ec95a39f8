import BriefSyncClient
import BriefSyncModel
import BriefSyncServer
import Foundation
import GRDB
import TestSupport
import Testing

/// Restores to an older backup in the middle of random team work (seeded; the seed is printed):
/// after everyone syncs, every replica holds the same records, and every text any replica held
/// when the server was restored is in the server's records, conflicts or history.
@Suite struct RestoreHealTests {
    static let users = ["u0", "u1", "u2"]

    @Test(arguments: [11, 23, 37, 41, 59] as [UInt64])
    func randomWorkAcrossARestoreLosesNothing(seed: UInt64) async throws {
        print("RestoreHealTests seed \(seed)")
        var rng = SeededGenerator(seed: seed)
        var h = try await Harness.start()
        defer { Task { [h] in await h.stop() } }
        try await h.members(Self.users.map { ($0, "analysts", Wire.Role.editor) } + [("v", "analysts", .viewer)])
        var replicas: [Replica] = []
        for u in Self.users { replicas.append(try await h.replica(u).0) }
        // A viewer who only reads: healing must push nothing for it (every push would be refused).
        let viewer = try await h.replica("v").0
        func client(_ i: Int) -> SyncClient { SyncClient(replica: replicas[i], transport: h.transport) }
        let ids = try replicas[0].importBriefings([
            ("a", "Talks\nAgenda\nThe talks resume in May.\nRisks\nInspections remain the sticking point."),
            ("b", "Chips\nSummary\nNew export rules tighten licensing."),
        ])
        for i in 0..<3 { _ = try await client(i).sync() }
        func syncViewer() async throws { _ = try await SyncClient(replica: viewer, transport: h.transport).sync() }

        var word = 0
        /// One random step; `replaceNotes: false` after the restore, so that what was held then
        /// is not replaced by its own author before it could be pushed back.
        func step(replaceNotes: Bool = true) async throws {
            let i = Int.random(in: 0..<3, using: &rng)
            let r = replicas[i]
            let id = ids[Int.random(in: 0..<2, using: &rng)]
            word += 1
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<4:
                let doc = try r.detail(id)
                let section = doc.sections[Int.random(in: 0..<doc.sections.count, using: &rng)]
                try r.edit(id, section: section.key, text: section.text + " w\(seed)x\(word)")
            case 4..<6:
                _ = try r.annotate(id, quote: "e", note: "n\(seed)x\(word)", kind: nil, occurrence: 1)
            case 6..<8 where replaceNotes:
                let mine = try r.detail(id).annotations.filter { $0.author == Self.users[i] }
                if let a = mine.first { try r.setNote(a.id, text: "m\(seed)x\(word)") }
            case 8:
                try await syncViewer()
            default:
                _ = try await client(i).sync()
            }
        }
        for _ in 0..<15 { try await step() }
        let backup = h.dir.file("older.backup")
        _ = try (h.server.store as! SQLiteSyncStore).backup(to: backup, now: 0)
        for _ in 0..<25 { try await step() }
        // What the replicas hold when the server goes back in time: every word an edit appended
        // (edits only append, so none may vanish), and each author's own current notes.
        var held = Set<String>()
        for (i, r) in replicas.enumerated() {
            held.formUnion(try Self.words(Self.strings(r.home.appendingPathComponent("replica.sqlite").path)))
            for id in ids {
                held.formUnion(try r.detail(id).annotations.filter { $0.author == Self.users[i] }.map(\.note))
            }
        }

        await h.server.stop()
        let folder = h.dir.file("restored")
        _ = try SQLiteSyncStore.restore(from: backup, into: folder, force: false, now: 0)
        h = try await Harness.restarted(h, folder: folder)
        for _ in 0..<10 { try await step(replaceNotes: false) }
        for _ in 0..<2 {
            for i in 0..<3 { _ = try await client(i).sync() }
            try await syncViewer()
        }

        let states = try replicas.map { try Self.states($0.home.appendingPathComponent("replica.sqlite").path) }
        #expect(states[1] == states[0], "seed \(seed)")
        #expect(states[2] == states[0], "seed \(seed)")
        #expect(try Self.states(viewer.home.appendingPathComponent("replica.sqlite").path) == states[0], "seed \(seed)")
        #expect(try viewer.rejectedChanges().isEmpty, "seed \(seed)")
        let strings = try Self.strings(folder.appendingPathComponent("briefd.sqlite").path, history: true)
        let lost = held.subtracting(strings.union(Self.words(strings)))
        #expect(lost.isEmpty, "seed \(seed): lost \(lost.sorted())")
        for r in replicas { #expect(try r.status().pending == 0) }
    }

    /// A heal cut off at each request in turn resumes on the next sync and ends the same.
    @Test(arguments: 1...5)
    func anInterruptedHealResumes(allowed: Int) async throws {
        var h = try await Harness.start()
        defer { Task { [h] in await h.stop() } }
        try await h.members([("u0", "analysts", .editor), ("u1", "analysts", .editor)])
        let (a, _) = try await h.replica("u0")
        let (b, _) = try await h.replica("u1")
        let id = try a.importBriefings([("a", "Talks\nAgenda\nThe talks resume in May.\nRisks\nInspections.")])[0]
        _ = try await SyncClient(replica: a, transport: h.transport).sync()
        let backup = h.dir.file("older.backup")
        _ = try (h.server.store as! SQLiteSyncStore).backup(to: backup, now: 0)
        _ = try a.annotate(id, quote: "talks", note: "lost by the restore", kind: nil)
        try a.edit(id, section: "agenda", text: "The talks resume in June.")
        _ = try await SyncClient(replica: a, transport: h.transport).sync()
        await h.server.stop()
        let folder = h.dir.file("restored")
        _ = try SQLiteSyncStore.restore(from: backup, into: folder, force: false, now: 0)
        h = try await Harness.restarted(h, folder: folder)

        var client = SyncClient(replica: a, transport: DroppingTransport(h.transport, allow: allowed))
        client.pageSize = 1
        await #expect(throws: ClientError.self) { _ = try await client.sync() }
        _ = try await SyncClient(replica: a, transport: h.transport).sync()
        _ = try await SyncClient(replica: b, transport: h.transport).sync()
        let seen = try b.detail(id)
        #expect(seen.sections.first?.text == "The talks resume in June.")
        #expect(seen.annotations.map(\.note) == ["lost by the restore"])
        #expect(try a.status().pending == 0)
    }

    /// Logging in again after the restore, at the restored server's new address, still heals.
    @Test func aNewLoginAtANewAddressStillHeals() async throws {
        var h = try await Harness.start()
        defer { Task { [h] in await h.stop() } }
        try await h.members([("u0", "analysts", .editor), ("u1", "analysts", .editor)])
        let (a, _) = try await h.replica("u0")
        let id = try a.importBriefings([("a", "Talks\nAgenda\nThe talks resume in May.")])[0]
        _ = try await SyncClient(replica: a, transport: h.transport).sync()
        let backup = h.dir.file("older.backup")
        _ = try (h.server.store as! SQLiteSyncStore).backup(to: backup, now: 0)
        try a.edit(id, section: "agenda", text: "The talks resume in June.")
        _ = try await SyncClient(replica: a, transport: h.transport).sync()
        await h.server.stop()
        let folder = h.dir.file("restored")
        _ = try SQLiteSyncStore.restore(from: backup, into: folder, force: false, now: 0)
        h = try await Harness.restarted(h, folder: folder)
        let client = SyncClient(replica: a, transport: h.transport)
        try await client.login(user: "u0", password: Harness.password, team: "analysts")
        let summary = try await client.sync()
        #expect(summary.restored != nil)
        let (b, _) = try await h.replica("u1")
        _ = try await SyncClient(replica: b, transport: h.transport).sync()
        #expect(try b.detail(id).sections.first?.text == "The talks resume in June.")
    }

    static func states(_ path: String) throws -> String {
        try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT state FROM records ORDER BY id").joined(separator: "\n")
        }
    }

    /// The words `w…` edits appended, in `strings`.
    static func words(_ strings: Set<String>) -> Set<String> {
        Set(
            strings.flatMap {
                $0.split(separator: " ").filter { $0.hasPrefix("w") && $0.contains("x") }.map(String.init)
            })
    }

    /// Every string value in the stored states (and versions, on the server).
    static func strings(_ path: String, history: Bool = false) throws -> Set<String> {
        let sql =
            history ? "SELECT state FROM records UNION ALL SELECT state FROM versions" : "SELECT state FROM records"
        let states = try DatabaseQueue(path: path).read { try String.fetchAll($0, sql: sql) }
        var out = Set<String>()
        func walk(_ v: Any) {
            if let s = v as? String {
                out.insert(s)
            } else if let d = v as? [String: Any] {
                d.values.forEach(walk)
            } else if let a = v as? [Any] {
                a.forEach(walk)
            }
        }
        for s in states { walk(try JSONSerialization.jsonObject(with: Data(s.utf8))) }
        return out
    }
}
