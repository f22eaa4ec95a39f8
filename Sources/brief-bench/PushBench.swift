import BriefSyncModel
import Foundation

/// `brief-bench push [--clients N] [--batch M] [--pushes K] [--rounds R]`: many analysts pushing
/// at once to one real `briefd` (release, embedded SQLite, `synchronous=FULL`) over loopback. Each
/// client is its own user with its own keep-alive connection and pushes K requests of M new notes
/// as fast as the answers come. Rounds alternate the server's group commit off (the baseline:
/// one transaction and one fsync per push) and on, each on a fresh copy of the same database;
/// prints mutations/s, request latency p50/p99 and the ratio. Issue 12's target: 10,000
/// mutations/s with p99 under 100 ms at 50 clients.
enum PushBench {
    struct Options {
        var clients = 50
        var batch = 10
        var pushes = 10
        var rounds = 3

        init(_ arguments: [String]) {
            var i = 0
            while i + 1 < arguments.count {
                let value = Int(arguments[i + 1]) ?? 0
                switch arguments[i] {
                case "--clients": clients = max(1, value)
                case "--batch": batch = max(1, value)
                case "--pushes": pushes = max(1, value)
                case "--rounds": rounds = max(1, value)
                default: break
                }
                i += 2
            }
        }
    }

    struct Round {
        var mutationsPerSecond: Double
        var latencies: [Double]
    }

    static let password = "bench-password-1"
    static let briefing = "bench-briefing"

    static func run(_ arguments: [String]) throws {
        let o = Options(arguments)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("brief-bench-push-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let template = dir.appendingPathComponent("template").path
        let users = (0..<o.clients).map { "u\($0)" }
        print("brief-bench push: \(o.clients) clients x \(o.pushes) pushes x \(o.batch) notes, \(o.rounds) rounds")
        print("setting up \(o.clients) users (a password hash each)…")
        try BenchServer.team(data: template, users: users, password: password)
        let server = try BenchServer.start(data: template)
        var tokens: [String] = []
        do {
            defer { server.stop() }
            let connection = try HTTPConnection(port: server.port)
            for u in users {
                let login = try WireJSON.data(Wire.LoginRequest(user: u, password: password))
                let (status, body) = try connection.send("POST", Wire.Endpoint.login.template, body: Array(login))
                guard status == 200 else { throw HTTPConnection.Failure(description: "login \(u): \(status)") }
                tokens.append(try WireJSON.decode(Wire.LoginResponse.self, from: Data(body)).token)
            }
            let (status, _) = try connection.send(
                "POST", Wire.Endpoint.push.template, body: try body([briefingMutation()]), token: tokens[0])
            guard status == 200 else { throw HTTPConnection.Failure(description: "the briefing's push: \(status)") }
        }
        let bodies = try (0..<o.clients).map { c in
            try (0..<o.pushes).map { p in try body((0..<o.batch).map { note(client: c, push: p, index: $0) }) }
        }

        var results: [Bool: [Round]] = [false: [], true: []]
        for r in 0..<o.rounds {
            for group in [false, true] {
                let data = dir.appendingPathComponent("round-\(r)-\(group)").path
                try FileManager.default.copyItem(atPath: template, toPath: data)
                let server = try BenchServer.start(data: data, environment: ["BRIEFD_GROUP_COMMIT": String(group)])
                let round = try load(port: server.port, tokens: tokens, bodies: bodies, batch: o.batch)
                server.stop()
                try? FileManager.default.removeItem(atPath: data)
                results[group]!.append(round)
                print(
                    String(
                        format: "round %d, group commit %@: %8.0f mutations/s", r + 1, group ? "on " : "off",
                        round.mutationsPerSecond))
            }
        }
        func summary(_ rounds: [Round]) -> (Double, Double, Double) {
            let rates = rounds.map(\.mutationsPerSecond).sorted()
            let latencies = rounds.flatMap(\.latencies).sorted()
            return (
                rates[rates.count / 2], latencies[latencies.count / 2],
                latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
            )
        }
        let off = summary(results[false]!)
        let on = summary(results[true]!)
        print("\n                                  mutations/s   p50 ms    p99 ms")
        print(String(format: "group commit off (baseline)      %10.0f %9.1f %9.1f", off.0, off.1, off.2))
        print(String(format: "group commit on                  %10.0f %9.1f %9.1f", on.0, on.1, on.2))
        print(String(format: "ratio %.2fx (target: 10,000 mutations/s, p99 < 100 ms)", on.0 / off.0))
    }

    /// Every client pushes its bodies in order, all clients at once; the rate is every mutation
    /// over the time from the common start to the last answer.
    static func load(port: Int, tokens: [String], bodies: [[[UInt8]]], batch: Int) throws -> Round {
        let clients = bodies.count
        let start = DispatchSemaphore(value: 0)
        let ready = DispatchGroup()
        let finished = DispatchGroup()
        let collected = Collected()
        for c in 0..<clients {
            ready.enter()
            finished.enter()
            let thread = Thread {
                defer { finished.leave() }
                var mine: [Double] = []
                do {
                    let connection = try HTTPConnection(port: port)
                    ready.leave()
                    start.wait()
                    for body in bodies[c] {
                        let t = clockMs()
                        let (status, answer) = try connection.send(
                            "POST", Wire.Endpoint.push.template, body: body, token: tokens[c])
                        mine.append(clockMs() - t)
                        guard status == 200, !answer.isEmpty else {
                            throw HTTPConnection.Failure(
                                description: "push: \(status) \(String(decoding: answer, as: UTF8.self))")
                        }
                    }
                } catch {
                    collected.fail("\(error)")
                }
                collected.add(mine)
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        ready.wait()
        let t0 = clockMs()
        for _ in 0..<clients { start.signal() }
        finished.wait()
        let elapsed = clockMs() - t0
        if let failure = collected.failures.first { throw HTTPConnection.Failure(description: failure) }
        let total = Double(bodies.reduce(0) { $0 + $1.count } * batch)
        return Round(mutationsPerSecond: total / (elapsed / 1000), latencies: collected.latencies)
    }

    /// What the client threads report, under a lock.
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var latencies: [Double] = []
        private(set) var failures: [String] = []
        func add(_ times: [Double]) { lock.withLock { latencies += times } }
        func fail(_ failure: String) { lock.withLock { failures.append(failure) } }
    }

    static func body(_ mutations: [Mutation]) throws -> [UInt8] {
        Array(try WireJSON.data(Wire.PushRequest(mutations: mutations)))
    }

    static let stamp = Stamp(physical: 1_764_000_000_000, counter: 0, replica: "bench-setup")
    static let text = "Inspection regimes remain the main sticking point. Each side wants joint inspection teams."

    static func briefingMutation() -> Mutation {
        var delta = Record(id: briefing, kind: .briefing)
        delta.set(Briefing.Field.title, .string("Grain corridor talks"), at: stamp)
        delta.set(Briefing.Field.team, .string("t"), at: stamp)
        delta.set(Briefing.Field.heading("key-topics"), .string("Key Topics"), at: stamp)
        delta.set(Briefing.Field.text("key-topics"), .string(text), at: stamp)
        return Mutation(id: "m-briefing", replica: "bench-setup", delta: delta)
    }

    static func note(client: Int, push: Int, index: Int) -> Mutation {
        let replica = "bench-c\(client)"
        let id = "n-\(client)-\(push)-\(index)"
        let a = Annotation(
            id: id, briefing: briefing, kind: .note, anchor: Anchor(section: "key-topics", text: text, range: 0..<10),
            note: "note \(index) of push \(push)", tags: ["bench"], author: "u\(client)")
        let stamp = Stamp(physical: 1_764_000_000_000 + Int64(push), counter: UInt32(index), replica: replica)
        return Mutation(id: "m-" + id, replica: replica, delta: a.record(at: stamp))
    }
}
