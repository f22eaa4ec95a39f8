import BriefSyncClient
import BriefSyncModel
import Foundation

/// `brief-bench search [ANNOTATIONS]`: `brief search` for a word every note holds and for a rare
/// one, as whole processes on a replica of 2,000 briefings and ANNOTATIONS notes (default 50,000,
/// the team), next to `brief status` on the same replica (a process that opens it and
/// answers without searching) and the in-process query; alternating, medians. Issue 12's target:
/// the common word under 20 ms for the whole process.
enum SearchBench {
    static func run(annotations: Int) throws {
        let brief = BenchServer.brief
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("brief-bench-search-\(getpid())")
        defer {
            if ProcessInfo.processInfo.environment["BENCH_KEEP"] == nil {
                try? FileManager.default.removeItem(at: dir)
            } else {
                print("kept: \(dir.path)")
            }
        }
        let home = dir.appendingPathComponent("replica")
        let replica = try Replica.create(home: home, name: "bench")
        // The team's records as a clone pulls them: pages of 500 applied to the replica.
        let records = CloneBench.dataset(
            2_000 + annotations, briefings: 2_000,
            note: { "corridor note \($0)" + ($0 % 5_000 == 0 ? " zanzibar" : "") })
        for start in stride(from: 0, to: records.count, by: 500) {
            let page = records[start..<min(records.count, start + 500)].enumerated().map { i, r in
                Wire.PulledRecord(seq: Int64(start + i + 1), record: r)
            }
            _ = try replica.applyPull(
                Wire.PullResponse(
                    records: page, cursor: "bench.\(start + page.count)", more: true, acked: [], teams: ["t"]),
                ours: [])
        }
        let common = try replica.search("corridor").count
        let rare = try replica.search("zanzibar").count
        print(
            "brief-bench search: 2,000 briefings, \(annotations) notes; 'corridor' is in every record (\(common) shown), 'zanzibar' in \(rare)"
        )
        let cases: [(String, [String])] = [
            ("brief status (baseline)", ["status", "--home", home.path]),
            ("brief search corridor", ["search", "corridor", "--home", home.path]),
            ("brief search zanzibar", ["search", "zanzibar", "--home", home.path]),
        ]
        let runs = 21
        var times = Array(repeating: [Double](), count: cases.count + 1)
        for _ in 0..<runs {
            for (i, c) in cases.enumerated() { times[i].append(try StartBench.spawn(brief, c.1)) }
            times[cases.count].append(try median(1) { _ in _ = try replica.search("corridor") })
        }
        let medians = times.map { $0.sorted()[runs / 2] }
        for (i, c) in cases.enumerated() {
            print(
                c.0.padding(toLength: 28, withPad: " ", startingAt: 0)
                    + String(format: " %8.2f ms %6.2fx", medians[i], medians[i] / medians[0]))
        }
        print(String(format: "the common word's query alone    %8.2f ms (in process)", medians[cases.count]))
        print("target: brief search (common word) < 20 ms for the whole process")
    }
}
