import BriefSyncModel
import Foundation
import GRDB

/// `brief-bench clone [RECORDS] [--rounds R]`: a new analyst's first `brief sync` — an empty
/// replica pulling every record of a team from a real release `briefd` over loopback, through
/// the real `brief` binary — next to raw SQLite inserting the same states (one table, prepared
/// statement, `synchronous=FULL`, WAL, transactions of 500), alternately, three rounds unless
/// told (more give a steadier median on a noisy host). Issue 12's target: at least 25 % of the
/// raw rate.
enum CloneBench {
    static let password = "bench-password-1"

    static func run(records total: Int, rounds: Int = 3) throws {
        let brief = BenchServer.brief
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("brief-bench-clone-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("server").path
        try BenchServer.team(data: data, users: ["a"], password: password)
        let server = try BenchServer.start(data: data)
        defer { server.stop() }
        let records = dataset(total)
        let connection = try HTTPConnection(port: server.port)
        let login = try WireJSON.data(Wire.LoginRequest(user: "a", password: password))
        let (status, answer) = try connection.send("POST", Wire.Endpoint.login.template, body: Array(login))
        guard status == 200 else { throw HTTPConnection.Failure(description: "login: \(status)") }
        let token = try WireJSON.decode(Wire.LoginResponse.self, from: Data(answer)).token
        for start in stride(from: 0, to: records.count, by: 500) {
            let batch = records[start..<min(records.count, start + 500)].enumerated().map { i, r in
                Mutation(id: "m-\(start + i)", replica: "bench-setup", delta: r)
            }
            let body = WireJSON.bytes(Wire.PushRequest(mutations: batch))
            let (status, _) = try connection.send("POST", Wire.Endpoint.push.template, body: body, token: token)
            guard status == 200 else { throw HTTPConnection.Failure(description: "setup push: \(status)") }
        }
        let states = records.map { ($0.id, String(decoding: WireJSON.bytes($0), as: UTF8.self)) }
        print("brief-bench clone: \(records.count) records from a release briefd through brief, \(rounds) rounds")
        var cloneTimes: [Double] = []
        var rawTimes: [Double] = []
        var serveTimes: [Double] = []
        var decodeTimes: [Double] = []
        for round in 0..<rounds {
            // The server's part alone: every page fetched over one keep-alive connection and
            // nothing done with it; then the client's decoding of those pages alone.
            var t0 = clockMs()
            var bodies: [[UInt8]] = []
            var cursor: String? = nil
            while true {
                let query = "?limit=500&replica=bench-pages" + (cursor.map { "&cursor=\($0)" } ?? "")
                let (status, body) = try connection.send("GET", Wire.Endpoint.pull.template + query, token: token)
                guard status == 200 else { throw HTTPConnection.Failure(description: "pull: \(status)") }
                bodies.append(body)
                let page = try WireJSON.decode(Wire.PullResponse.self, from: Data(body))
                if !page.more { break }
                cursor = page.cursor
            }
            serveTimes.append(clockMs() - t0)
            t0 = clockMs()
            for body in bodies { _ = try Wire.PullResponse.decodeKeepingStates(body) }
            decodeTimes.append(clockMs() - t0)

            let home = dir.appendingPathComponent("home-\(round)").path
            try DeltaBench.run(brief, ["init", "--name", "a\(round)", "--home", home])
            try DeltaBench.run(
                brief,
                ["login", "--server", server.url, "--user", "a", "--password-stdin", "--team", "t", "--home", home],
                stdin: password)
            // Spawned and waited for directly, as `delta` and `start` do: Foundation's `Process`
            // would add its own polling to the figure.
            cloneTimes.append(try StartBench.spawn(brief, ["sync", "--home", home]))
            let listed = try DeltaBench.run(brief, ["status", "--json", "--home", home])
            guard listed.contains("\"records\"") || listed.contains("briefings") else {
                throw HTTPConnection.Failure(description: "the clone's status: \(listed.prefix(200))")
            }
            let t = clockMs()
            try rawInsert(states, into: dir.appendingPathComponent("raw-\(round).sqlite").path)
            rawTimes.append(clockMs() - t)
            print(
                String(
                    format: "round %d: brief sync %8.0f ms, raw insert %6.0f ms", round + 1, cloneTimes.last!,
                    rawTimes.last!))
        }
        let clone = cloneTimes.sorted()[rounds / 2]
        let raw = rawTimes.sorted()[rounds / 2]
        let rate = { (ms: Double) in Double(records.count) / (ms / 1000) }
        print(String(format: "raw SQLite insert (baseline) %9.0f ms %9.0f records/s", raw, rate(raw)))
        print(
            String(
                format: "  parts: the pages alone     %9.0f ms (server and loopback, decoded once here)",
                serveTimes.sorted()[rounds / 2]))
        print(String(format: "  parts: decoding the pages  %9.0f ms", decodeTimes.sorted()[rounds / 2]))
        print(
            String(
                format: "brief sync (clone)           %9.0f ms %9.0f records/s  %.1f %% of raw (target >= 25 %%)",
                clone, rate(clone), 100 * raw / clone))
    }

    /// A team's records: one briefing for every 25 (or `briefings`), notes on them round the
    /// briefings, each note's text made by `note`.
    static func dataset(
        _ total: Int, briefings: Int? = nil, note: (Int) -> String = { "note \($0) on the talks" }
    ) -> [BriefSyncModel.Record] {
        let text =
            "On 3 March, negotiators met in Istanbul to restart the Black Sea grain corridor. Both delegations described the first session as workmanlike."
        let stamp = Stamp(physical: 1_764_000_000_000, counter: 0, replica: "bench-setup")
        let briefings = briefings ?? max(1, total / 25)
        var out: [BriefSyncModel.Record] = (0..<briefings).map { b in
            Briefing(
                id: "briefing-\(b)", title: "Briefing \(b)", team: "t", tags: ["bulk"],
                sections: [Section(key: "scene", heading: "Setting the Scene", text: text + " \(b)")]
            ).record(at: stamp)
        }
        var n = 0
        while out.count < total {
            out.append(
                Annotation(
                    id: "note-\(n)", briefing: "briefing-\(n % briefings)", kind: .note,
                    anchor: Anchor(section: "scene", text: text, range: 20..<29), note: note(n), author: "a"
                ).record(at: stamp))
            n += 1
        }
        return out
    }

    /// Raw SQLite inserting `states` (one table, a prepared statement, `synchronous=FULL`, WAL,
    /// transactions of 500): the baseline of `clone` and `apply`.
    static func rawInsert(_ states: [(String, String)], into path: String) throws {
        var config = Configuration()
        config.prepareDatabase { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        let raw = try DatabaseQueue(path: path, configuration: config)
        try raw.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "CREATE TABLE records(id TEXT PRIMARY KEY, state TEXT NOT NULL)")
        }
        for start in stride(from: 0, to: states.count, by: 500) {
            try raw.write { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO records(id, state) VALUES (?, ?)")
                for (id, state) in states[start..<min(states.count, start + 500)] {
                    try insert.execute(arguments: [id, state])
                }
            }
        }
    }
}
