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
    /// The server's store backend.
    var backend: TestBackend = .sqlite

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

    /// Who each replica's user is, decided by the seed: u0 owns the team; with four or more
    /// replicas the last is a viewer or commenter (refusals expected, kept in its `rejected`
    /// list); some start offline and log in later, some join late.
    struct Cast {
        var roles: [Wire.Role]
        var loggedOutAtStart: Set<Int> = []
        var late: Set<Int> = []

        init(seed: UInt64, count: Int) {
            var rng = SeededGenerator(seed: seed ^ 0xC0FF_EE00)
            roles = (0..<count).map { $0 == 0 ? .owner : .editor }
            if count >= 4 { roles[count - 1] = Bool.random(using: &rng) ? .viewer : .commenter }
            for r in 1..<count {
                switch Int.random(in: 0..<100, using: &rng) {
                case 0..<20: late.insert(r)
                case 20..<45: loggedOutAtStart.insert(r)
                default: break
                }
            }
        }
    }

    /// The mutable state of one run.
    final class Team {
        let store: any SyncStore
        let world: SimulationWorld
        let root: URL
        let seed: UInt64
        let cast: Cast
        var replicas: [Replica?]
        var loggedIn: [Bool]
        var member: [Bool]
        var everRemoved = Set<Int>()
        var stats = Stats()
        /// Every text a user wrote, with its author.
        var written: [(author: Int, text: String)] = []

        init(store: any SyncStore, world: SimulationWorld, root: URL, seed: UInt64, cast: Cast) {
            self.store = store
            self.world = world
            self.root = root
            self.seed = seed
            self.cast = cast
            replicas = Array(repeating: nil, count: cast.roles.count)
            loggedIn = Array(repeating: false, count: cast.roles.count)
            member = Array(repeating: true, count: cast.roles.count)
        }

        func home(_ r: Int) -> URL { root.appendingPathComponent("u\(r)") }

        /// The replica, made on first use.
        func replica(_ r: Int) throws -> Replica {
            if let existing = replicas[r] { return existing }
            let world = self.world
            let made = try Replica.create(home: home(r), name: "u\(r)", now: { world.now() }, newID: { world.newID() })
            replicas[r] = made
            return made
        }

        func login(_ r: Int, base: any SyncTransport) throws {
            let replica = try replica(r)
            guard !loggedIn[r] else { return }
            try SyncClient(replica: replica, transport: base).adoptSession(
                user: "u\(r)", team: "t", token: "token-\(seed)-\(r)")
            loggedIn[r] = true
        }

        /// Whether refusals are out of the question for this user: editor or owner, never removed.
        func isClean(_ r: Int) -> Bool { cast.roles[r] >= .editor && !everRemoved.contains(r) }
    }

    /// How often a run met each edge, so the tests can show they were exercised.
    struct Stats: Sendable, CustomStringConvertible {
        var changesBeforeLogin = 0
        var lateJoins = 0
        var removals = 0
        var refused = 0
        var description: String {
            "\(changesBeforeLogin) changes made before login, \(lateJoins) late joins, \(removals) removals, \(refused) refused mutations"
        }
        static func + (a: Stats, b: Stats) -> Stats {
            Stats(
                changesBeforeLogin: a.changesBeforeLogin + b.changesBeforeLogin, lateJoins: a.lateJoins + b.lateJoins,
                removals: a.removals + b.removals, refused: a.refused + b.refused)
        }
    }

    @discardableResult
    func run() async throws -> Stats {
        let root = Simulation.scratch().appendingPathComponent("sim-\(seed)-\(UUID().uuidString.prefix(6))")
        defer { try? FileManager.default.removeItem(at: root) }
        let world = SimulationWorld(seed: seed)
        let stored = try await backend.makeStore(folder: root.appendingPathComponent("server"))
        let store = stored.store
        let probe = ServerProbe(store: store)
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
        let cast = Cast(seed: seed, count: replicaCount)
        let team = Team(store: store, world: world, root: root, seed: seed, cast: cast)
        for i in 0..<replicaCount {
            let user = "u\(i)"
            let u = try await store.addUser(name: user, passwordHash: Simulation.passwordHash, now: world.now())
            try await store.setMember(team: "t", user: user, role: cast.roles[i])
            try await store.addToken(
                hash: BearerToken.hash("token-\(seed)-\(i)"), userID: u.id, now: world.now(), expires: Int64.max / 2)
            if cast.late.contains(i) { continue }
            _ = try team.replica(i)
            if !cast.loggedOutAtStart.contains(i) { try team.login(i, base: base) }
        }
        team.stats.lateJoins = cast.late.count
        for op in ops {
            world.advance(8)
            do {
                let r = op.replica
                let offline = r.map { team.replicas[$0] != nil && !team.loggedIn[$0] } ?? false
                let before = try r.flatMap { try team.replicas[$0]?.status().pending } ?? 0
                try await step(op, team: team, base: base)
                if offline, let r, let after = try team.replicas[r]?.status().pending, after > before {
                    team.stats.changesBeforeLogin += after - before
                }
            } catch is ClientError {
                // A refusal a person would see (quote gone, record deleted, network down): fine.
            }
        }
        // Everyone who has not yet logged in does, then two clean syncs each.
        for r in 0..<replicaCount { try team.login(r, base: base) }
        for _ in 0..<2 {
            for r in 0..<replicaCount {
                world.advance(5)
                do {
                    _ = try await SyncClient(replica: try team.replica(r), transport: base).sync()
                } catch {
                    throw Failure(message: "a clean sync of u\(r) failed: \(error)")
                }
            }
        }
        try await check(team, probe)
        team.stats.refused = try await probe.refusals().count
        await stored.drop()
        return team.stats
    }

    private func step(_ op: SimulationOp, team: Team, base: any SyncTransport) async throws {
        func existing(_ r: Int) -> Replica? { team.replicas[r] }
        switch op {
        case .importDoc(let r, let d):
            guard let replica = existing(r) else { return }
            _ = try replica.importBriefings([("doc", Simulation.documents[d])])
        case .editSection(let r, let pick):
            guard let replica = existing(r) else { return }
            var rng = SeededGenerator(seed: pick)
            guard let b = try pickBriefing(replica, &rng), let s = b.sections.randomElement(using: &rng) else {
                return
            }
            let text = Simulation.mutate(s.text, &rng)
            team.written.append((r, text))
            try replica.edit(b.id, section: s.key, text: text)
        case .annotate(let r, let pick):
            guard let replica = existing(r) else { return }
            var rng = SeededGenerator(seed: pick)
            guard let b = try pickBriefing(replica, &rng),
                let s = b.sections.filter({ !$0.text.isEmpty }).randomElement(using: &rng),
                let quote = s.text.split(separator: " ").randomElement(using: &rng)
            else { return }
            let note = "note \(Simulation.words.randomElement(using: &rng)!) \(pick % 1000)"
            team.written.append((r, note))
            _ = try replica.annotate(
                b.id, quote: String(quote), note: note, kind: nil, section: s.key, occurrence: 1)
        case .editNote(let r, let pick):
            guard let replica = existing(r) else { return }
            var rng = SeededGenerator(seed: pick)
            guard let a = try pickAnnotation(replica, &rng) else { return }
            let note = Simulation.mutate(a.note, &rng)
            team.written.append((r, note))
            try replica.setNote(a.id, text: note)
        case .tag(let r, let pick):
            guard let replica = existing(r) else { return }
            var rng = SeededGenerator(seed: pick)
            guard let b = try pickBriefing(replica, &rng) else { return }
            try replica.tag(b.id, [["red", "blue", "green"].randomElement(using: &rng)!])
        case .untag(let r, let pick):
            guard let replica = existing(r) else { return }
            var rng = SeededGenerator(seed: pick)
            guard let b = try pickBriefing(replica, &rng), let t = b.tags.randomElement(using: &rng) else { return }
            try replica.untag(b.id, [t])
        case .delete(let r, let pick):
            guard let replica = existing(r) else { return }
            var rng = SeededGenerator(seed: pick)
            if pick % 4 == 0 {
                guard let b = try pickBriefing(replica, &rng) else { return }
                try replica.remove(b.id)
            } else {
                guard let a = try pickAnnotation(replica, &rng) else { return }
                try replica.remove(a.id)
            }
        case .resolve(let r, let pick):
            guard let replica = existing(r) else { return }
            var rng = SeededGenerator(seed: pick)
            guard let c = try replica.conflicts().randomElement(using: &rng) else { return }
            let choice: Replica.Resolution
            switch pick % 4 {
            case 0: choice = .mine
            case 1: choice = .theirs
            case 2: choice = .base
            default:
                let text = c.current.text + "\nresolved \(pick % 100)"
                team.written.append((r, text))
                choice = .text(text)
            }
            try replica.resolve(c.id, choice)
        case .sync(let r, let faults):
            guard let replica = existing(r) else { return }
            _ = try await SyncClient(replica: replica, transport: FaultyTransport(base, seed: faults)).sync()
        case .restart(let r):
            guard existing(r) != nil else { return }
            let world = team.world
            team.replicas[r] = try Replica.open(home: team.home(r), now: { world.now() }, newID: { world.newID() })
        case .login(let r):
            try team.login(r, base: base)
        case .membership(let r):
            guard r != 0 else { return }
            if team.member[r] {
                try await team.store.setMember(team: "t", user: "u\(r)", role: nil)
                team.everRemoved.insert(r)
                team.stats.removals += 1
            } else {
                try await team.store.setMember(team: "t", user: "u\(r)", role: team.cast.roles[r])
            }
            team.member[r].toggle()
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
    ///
    /// Every replica whose user is a member at the end holds exactly the server's records (its
    /// own refused, never-shared records aside); no change of an editor or owner who stayed a
    /// member was refused; and every text anyone wrote is in a current record, a conflict, the
    /// server's history, or its author's own `rejected` list — never nowhere.
    private func check(_ team: Team, _ probe: ServerProbe) async throws {
        let replicas = try (0..<replicaCount).map { try team.replica($0) }
        for (i, r) in replicas.enumerated() {
            let pending = try r.status().pending
            guard pending == 0 else { throw Failure(message: "replica u\(i) still has \(pending) pending change(s)") }
        }
        let serverStates = try await probe.states().joined(separator: "\n")
        for (i, r) in replicas.enumerated() where team.member[i] {
            let export = try r.canonicalExport(sharedOnly: true)
            guard export == serverStates else {
                throw Failure(
                    message:
                        "replica u\(i) differs from the server after two clean syncs:\n\(Simulation.firstDifference(serverStates, export))"
                )
            }
        }
        let refusedBy = try await probe.refusals()
        for (i, r) in replicas.enumerated() where team.isClean(i) {
            if let refusal = refusedBy.first(where: { $0.0 == r.replicaID }) {
                throw Failure(message: "a change of u\(i) (\(team.cast.roles[i].rawValue)) was refused: \(refusal.1)")
            }
            let kept = try r.rejectedChanges()
            guard kept.isEmpty else {
                throw Failure(message: "u\(i) holds \(kept.count) refused change(s): \(kept[0].reason)")
            }
        }
        let documents = try await probe.documents()
        var corpus = Set<String>()
        for d in documents {
            Simulation.collectStrings(try JSONSerialization.jsonObject(with: Data(d.utf8)), into: &corpus)
        }
        let refused = try replicas.map { r in Set(try r.rejectedChanges().flatMap { $0.fields.values }) }
        for (author, text) in team.written where !corpus.contains(text) && !refused[author].contains(text) {
            throw Failure(
                message:
                    "text written by u\(author) is neither on the server nor in their refused list: \(text.debugDescription)"
            )
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
