import BriefSyncClient
import BriefSyncModel
import Foundation
import GRDB

/// `brief-bench apply [RECORDS]`: the client side of a clone — pulled pages of 500 applied to an
/// empty replica (`Replica.applyPull`, what `brief sync` and `brief clone` do per page) — next to
/// raw SQLite inserting the same states (one table, a prepared statement, the same
/// `synchronous=FULL` WAL and page transactions), alternately in one run. Issue 12's target:
/// at least 25 % of the raw rate.
enum ApplyBench {
    static func run(records total: Int) throws {
        let text =
            "On 3 March, negotiators met in Istanbul to restart the Black Sea grain corridor. Both delegations described the first session as workmanlike."
        let stamp = Stamp(physical: 1_764_000_000_000, counter: 0, replica: "r-server")
        let briefings = max(1, total / 25)
        var pulled: [Wire.PulledRecord] = []
        for b in 0..<briefings {
            let briefing = Briefing(
                id: "briefing-\(b)", title: "Briefing \(b)", team: "bench", tags: ["bulk"],
                sections: [Section(key: "scene", heading: "Setting the Scene", text: text + " \(b)")])
            pulled.append(Wire.PulledRecord(seq: Int64(pulled.count + 1), record: briefing.record(at: stamp)))
        }
        var n = 0
        while pulled.count < total {
            let a = Annotation(
                id: "note-\(n)", briefing: "briefing-\(n % briefings)", kind: .note,
                anchor: Anchor(section: "scene", text: text, range: 20..<29), note: "note \(n) on the talks",
                author: "bench")
            pulled.append(Wire.PulledRecord(seq: Int64(pulled.count + 1), record: a.record(at: stamp)))
            n += 1
        }
        let pages = stride(from: 0, to: pulled.count, by: 500).map { start in
            let page = Array(pulled[start..<min(pulled.count, start + 500)])
            return Wire.PullResponse(
                records: page, cursor: "bench.\(page.last!.seq)", more: start + 500 < pulled.count, acked: [],
                teams: ["bench"])
        }
        let states = try pulled.map { ($0.record.id, try WireJSON.string($0.record)) }
        var applyTimes: [Double] = []
        var rawTimes: [Double] = []
        for round in 0..<3 {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
                "brief-bench-apply-\(round)-\(getpid())")
            defer { try? FileManager.default.removeItem(at: dir) }
            let replica = try Replica.create(home: dir.appendingPathComponent("replica"), name: "bench")
            var t = clockMs()
            for page in pages { _ = try replica.applyPull(page, ours: []) }
            applyTimes.append(clockMs() - t)

            var config = Configuration()
            config.prepareDatabase { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            let raw = try DatabaseQueue(path: dir.appendingPathComponent("raw.sqlite").path, configuration: config)
            try raw.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "CREATE TABLE records(id TEXT PRIMARY KEY, state TEXT NOT NULL)")
            }
            t = clockMs()
            for start in stride(from: 0, to: states.count, by: 500) {
                try raw.write { db in
                    let insert = try db.cachedStatement(sql: "INSERT INTO records(id, state) VALUES (?, ?)")
                    for (id, state) in states[start..<min(states.count, start + 500)] {
                        try insert.execute(arguments: [id, state])
                    }
                }
            }
            rawTimes.append(clockMs() - t)
        }
        let apply = applyTimes.sorted()[1]
        let raw = rawTimes.sorted()[1]
        let rate = { (ms: Double) in Double(pulled.count) / (ms / 1000) }
        print("brief-bench apply: \(pulled.count) records (\(briefings) briefings) in pages of 500, median of 3")
        print(String(format: "raw SQLite insert (baseline)  %9.0f ms %9.0f records/s", raw, rate(raw)))
        print(
            String(
                format: "replica applyPull             %9.0f ms %9.0f records/s  %.1f %% of raw (target >= 25 %%)",
                apply,
                rate(apply), 100 * raw / apply))
    }
}
