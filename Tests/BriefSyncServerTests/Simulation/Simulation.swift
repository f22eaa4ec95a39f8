import BriefSyncClient
import BriefSyncModel
import Foundation
import GRDB
import TestSupport

@testable import BriefSyncServer

/// Runs one simulated team: a server, several replicas, a program of random steps with faults,
/// then two clean syncs each; reports the first broken promise.
struct Simulation {
    let seed: UInt64
    let replicaCount: Int
    let ops: [SimulationOp]
    /// Whether to talk HTTP over loopback (slower) instead of calling the service in-process.
    var overHTTP = false

    /// One hash for every simulated user: PBKDF2 at full strength is slow by design.
    nonisolated(unsafe) static var passwordHash: String = try! PasswordHasher.hash("simulation")

    static let documents = [
        "Grain talks\nSetting the Scene\nNegotiators met in Istanbul.\nThe mood was workmanlike.\nKey Topics\nInspections remain the sticking point.\nInsurers want guarantees.",
        "# Chips\n## Summary\nNew export rules tighten licensing.\nVendors expect delays.\n## Outlook\nAllies may align within six months.",
        "Ministerial note\nThe ministers met for forty minutes.\nNo joint statement was issued.",
        "Café talks in 北京\nOverview\nThe délégation met in Zürich 🌏.\nRisks\nEmoji 👩🏽‍💻 in notes.",
    ]
    static let words = [
        "alpha", "bravo", "charlie", "delta", "echo", "Zürich", "北京", "🌏", "e\u{301}te\u{301}", "talks", "risk",
    ]

    /// What went wrong, with enough to reproduce it.
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    func run() async throws {
        let root = Simulation.scratch().appendingPathComponent("sim-\(seed)-\(UUID().uuidString.prefix(6))")
        defer { try? FileManager.default.removeItem(at: root) }
        let world = SimulationWorld(seed: seed)
        let store = try SQLiteSyncStore(folder: root.appendingPathComponent("server"))
        let service = SyncService(store: store, now: { world.now() })
        var embedded: EmbeddedServer? = nil
        let base: any SyncTransport
        if overHTTP {
            embedded = try await EmbeddedServer.startServing(store: store, now: { world.now() })
            base = CurlTransport(server: embedded!.url)
        } else {
            base = InProcessTransport(service: service)
        }
        defer { if let embedded { Task { await embedded.stop() } } }
        try await store.addTeam(name: "t", now: world.now())
        var replicas: [Replica] = []
        var homes: [URL] = []
        for i in 0..<replicaCount {
            let user = "u\(i)"
            let u = try await store.addUser(name: user, passwordHash: Simulation.passwordHash, now: world.now())
            try await store.setMember(team: "t", user: user, role: i == 0 ? .owner : .editor)
            let token = "token-\(seed)-\(i)"
            try await store.addToken(
                hash: BearerToken.hash(token), userID: u.id, now: world.now(), expires: Int64.max / 2)
            let home = root.appendingPathComponent(user)
            let replica = try Replica.create(home: home, name: user, now: { world.now() }, newID: { world.newID() })
            try SyncClient(replica: replica, transport: base).adoptSession(user: user, team: "t", token: token)
            replicas.append(replica)
            homes.append(home)
        }
        var written: [String] = []
        for op in ops {
            world.advance(8)
            do {
                try await step(op, replicas: &replicas, homes: homes, base: base, world: world, written: &written)
            } catch is ClientError {
                // A refusal a person would see (quote gone, record deleted, network down): fine.
            }
        }
        for _ in 0..<2 {
            for r in replicas {
                world.advance(5)
                do {
                    _ = try await SyncClient(replica: r, transport: base).sync()
                } catch {
                    throw Failure(message: "a clean sync failed: \(error)")
                }
            }
        }
        try await check(replicas, store: store, written: written)
    }

    private func step(
        _ op: SimulationOp, replicas: inout [Replica], homes: [URL], base: any SyncTransport, world: SimulationWorld,
        written: inout [String]
    ) async throws {
        switch op {
        case .importDoc(let r, let d):
            _ = try replicas[r].importBriefings([("doc", Simulation.documents[d])])
        case .editSection(let r, let pick):
            var rng = SeededGenerator(seed: pick)
            guard let b = try pickBriefing(replicas[r], &rng), let s = b.sections.randomElement(using: &rng) else {
                return
            }
            let text = Simulation.mutate(s.text, &rng)
            written.append(text)
            try replicas[r].edit(b.id, section: s.key, text: text)
        case .annotate(let r, let pick):
            var rng = SeededGenerator(seed: pick)
            guard let b = try pickBriefing(replicas[r], &rng),
                let s = b.sections.filter({ !$0.text.isEmpty }).randomElement(using: &rng),
                let quote = s.text.split(separator: " ").randomElement(using: &rng)
            else { return }
            let note = "note \(Simulation.words.randomElement(using: &rng)!) \(pick % 1000)"
            written.append(note)
            _ = try replicas[r].annotate(
                b.id, quote: String(quote), note: note, kind: nil, section: s.key, occurrence: 1)
        case .editNote(let r, let pick):
            var rng = SeededGenerator(seed: pick)
            guard let a = try pickAnnotation(replicas[r], &rng) else { return }
            let note = Simulation.mutate(a.note, &rng)
            written.append(note)
            try replicas[r].setNote(a.id, text: note)
        case .tag(let r, let pick):
            var rng = SeededGenerator(seed: pick)
            guard let b = try pickBriefing(replicas[r], &rng) else { return }
            try replicas[r].tag(b.id, [["red", "blue", "green"].randomElement(using: &rng)!])
        case .untag(let r, let pick):
            var rng = SeededGenerator(seed: pick)
            guard let b = try pickBriefing(replicas[r], &rng), let t = b.tags.randomElement(using: &rng) else { return }
            try replicas[r].untag(b.id, [t])
        case .delete(let r, let pick):
            var rng = SeededGenerator(seed: pick)
            if pick % 4 == 0 {
                guard let b = try pickBriefing(replicas[r], &rng) else { return }
                try replicas[r].remove(b.id)
            } else {
                guard let a = try pickAnnotation(replicas[r], &rng) else { return }
                try replicas[r].remove(a.id)
            }
        case .resolve(let r, let pick):
            var rng = SeededGenerator(seed: pick)
            guard let c = try replicas[r].conflicts().randomElement(using: &rng) else { return }
            let choice: Replica.Resolution
            switch pick % 4 {
            case 0: choice = .mine
            case 1: choice = .theirs
            case 2: choice = .base
            default:
                let text = c.current.text + "\nresolved \(pick % 100)"
                written.append(text)
                choice = .text(text)
            }
            try replicas[r].resolve(c.id, choice)
        case .sync(let r, let faults):
            _ = try await SyncClient(replica: replicas[r], transport: FaultyTransport(base, seed: faults)).sync()
        case .restart(let r):
            replicas[r] = try Replica.open(home: homes[r], now: { world.now() }, newID: { world.newID() })
        }
    }

    private func pickBriefing(_ r: Replica, _ rng: inout SeededGenerator) throws -> BriefingDetail? {
        let ids = try r.list().map(\.id).sorted()
        guard let id = ids.randomElement(using: &rng) else { return nil }
        return try r.detail(id)
    }

    /// An annotation this replica's user may change: their own (the team owner, u0, may change any).
    private func pickAnnotation(_ r: Replica, _ rng: inout SeededGenerator) throws -> AnnotationView? {
        let all = try r.list().map(\.id).sorted().flatMap { try r.detail($0).annotations }
        return all.filter { r.name == "u0" || $0.author == r.name }.randomElement(using: &rng)
    }

    /// A random edit: replace a word, add a line, or drop a line.
    static func mutate(_ text: String, _ rng: inout SeededGenerator) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let word = words.randomElement(using: &rng)!
        switch Int.random(in: 0..<3, using: &rng) {
        case 0 where !lines.isEmpty:
            let i = Int.random(in: 0..<lines.count, using: &rng)
            var w = lines[i].split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            if w.isEmpty { w = [word] } else { w[Int.random(in: 0..<w.count, using: &rng)] = word }
            lines[i] = w.joined(separator: " ")
        case 1:
            lines.insert("line \(word) \(rng.next() % 1000)", at: Int.random(in: 0...lines.count, using: &rng))
        default:
            if lines.count > 1 {
                lines.remove(at: Int.random(in: 0..<lines.count, using: &rng))
            } else {
                lines.append(word)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Convergence and no loss.
    private func check(_ replicas: [Replica], store: SQLiteSyncStore, written: [String]) async throws {
        for (i, r) in replicas.enumerated() {
            let pending = try r.status().pending
            guard pending == 0 else { throw Failure(message: "replica u\(i) still has \(pending) pending change(s)") }
        }
        let exports = try replicas.map { try $0.canonicalExport() }
        for (i, e) in exports.enumerated() where e != exports[0] {
            throw Failure(
                message:
                    "replica u\(i) differs from u0 after two clean syncs:\n\(Simulation.firstDifference(exports[0], e))"
            )
        }
        let serverStates = try await store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT state FROM records ORDER BY id").joined(separator: "\n")
        }
        guard serverStates == exports[0] else {
            throw Failure(
                message: "replicas differ from the server:\n\(Simulation.firstDifference(serverStates, exports[0]))")
        }
        let rejected = try await store.pool.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM mutations WHERE status = 'rejected'") ?? 0
        }
        guard rejected == 0 else { throw Failure(message: "\(rejected) mutation(s) were rejected") }
        // Every text a user wrote is in the current state, a conflict, or history.
        let documents = try await store.pool.read { db in
            try String.fetchAll(
                db,
                sql:
                    "SELECT state FROM records UNION ALL SELECT state FROM versions UNION ALL SELECT body FROM mutations"
            )
        }
        var corpus = Set<String>()
        for d in documents {
            Simulation.collectStrings(try JSONSerialization.jsonObject(with: Data(d.utf8)), into: &corpus)
        }
        for text in written where !corpus.contains(text) {
            throw Failure(message: "text written by a user is nowhere on the server: \(text.debugDescription)")
        }
    }

    static func collectStrings(_ value: Any, into set: inout Set<String>) {
        if let s = value as? String {
            set.insert(s)
        } else if let a = value as? [Any] {
            for v in a { collectStrings(v, into: &set) }
        } else if let o = value as? [String: Any] {
            for v in o.values { collectStrings(v, into: &set) }
        }
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let (la, lb) = (a.split(separator: "\n"), b.split(separator: "\n"))
        for (x, y) in zip(la, lb) where x != y { return "  \(x.prefix(400))\n  \(y.prefix(400))" }
        return "  \(la.count) vs \(lb.count) records"
    }

    /// A fast scratch folder: tmpfs when there is one.
    static func scratch() -> URL {
        let shm = URL(fileURLWithPath: "/dev/shm")
        if FileManager.default.isWritableFile(atPath: shm.path) { return shm }
        return FileManager.default.temporaryDirectory
    }
}
