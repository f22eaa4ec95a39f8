import BriefSyncClient
import BriefSyncModel
import Foundation
import GRDB

/// `brief-bench apply [RECORDS]`: the client side of a clone — pulled pages of 500, decoded and
/// their rows derived beforehand as a sync's prefetching task does, applied to an empty replica
/// (`Replica.applyPull`, what `brief sync` and `brief clone` do per page) — next to
/// raw SQLite inserting the same states (one table, a prepared statement, the same
/// `synchronous=FULL` WAL and page transactions), alternately in one run. Issue 12's target:
/// at least 25 % of the raw rate.
enum ApplyBench {
    static func run(records total: Int) throws {
        let records = CloneBench.dataset(total)
        let briefings = records.count { $0.kind == .briefing }
        let pulled = records.enumerated().map { Wire.PulledRecord(seq: Int64($0.offset + 1), record: $0.element) }
        let pages = stride(from: 0, to: pulled.count, by: 500).map { start in
            let page = Array(pulled[start..<min(pulled.count, start + 500)])
            return Wire.PullResponse(
                records: page, cursor: "bench.\(page.last!.seq)", more: start + 500 < pulled.count, acked: [],
                teams: ["t"])
        }
        // As a sync receives them: decoded on the prefetching task, before the apply, with each
        // record's JSON text kept and its rows derived.
        let received = try pages.map { page in
            let (decoded, texts) = try Wire.PullResponse.decodeKeepingStates(WireJSON.bytes(page))
            return (decoded, decoded.records.indices.map { RecordRows(decoded.records[$0].record, state: texts[$0]) })
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
            for (page, rows) in received { _ = try replica.applyPull(page, rows: rows, ours: []) }
            applyTimes.append(clockMs() - t)

            t = clockMs()
            try CloneBench.rawInsert(states, into: dir.appendingPathComponent("raw.sqlite").path)
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
