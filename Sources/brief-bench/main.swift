import BriefSyncClient
import BriefSyncModel
import Foundation

// brief-bench: how local commands scale with the replica. Builds a small replica (the baseline)
// and a large one in the same run, times each command as the median of many runs, and prints
// both figures and their ratio. Per-record commands should stay near 1x; `list` shows a page
// (its first 50 by default); `list --all` and `status` read every briefing by nature.
//
//   swift run -c release brief-bench [LARGE_BRIEFINGS]
//   swift run -c release brief-bench start      process start: brief vs a Foundation hello world
//   swift run -c release brief-bench decode     a push body's first decoding pass, old vs new order
//   swift run -c release brief-bench anchor [N] folding, finding and re-anchoring on an N-character briefing
//   swift run -c release brief-bench apply [N]  a clone's pulled pages applied, vs raw SQLite inserts
//   swift run -c release brief-bench search [N] brief search as a whole process on N notes, vs brief status
//   swift run -c release brief-bench clone [N] [--rounds R]
//                                                   a new replica's first sync through briefd, vs raw SQLite
//   swift run -c release brief-bench push [--clients 50 --batch 10 --pushes 10 --rounds 3]
//                                                   concurrent pushes to briefd, group commit off vs on
//   swift run -c release brief-bench delta      one note from A to B through briefd, vs git (needs briefd built)
//   swift run -c release brief-bench watch      the same note with `brief sync --watch` on A and B, vs git

if CommandLine.arguments.dropFirst().first == "apply" {
    try ApplyBench.run(records: CommandLine.arguments.dropFirst(2).first.flatMap(Int.init) ?? 10_000)
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "delta" {
    try DeltaBench.run()
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "watch" {
    try WatchBench.run()
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "search" {
    try SearchBench.run(annotations: CommandLine.arguments.dropFirst(2).first.flatMap(Int.init) ?? 50_000)
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "clone" {
    let arguments = Array(CommandLine.arguments.dropFirst(2))
    let rounds = arguments.firstIndex(of: "--rounds").flatMap { arguments.dropFirst($0 + 1).first }.flatMap(Int.init)
    try CloneBench.run(
        records: arguments.first.flatMap(Int.init) ?? 10_000, rounds: max(1, min(rounds ?? 3, 99)))
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "push" {
    try PushBench.run(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "decode" {
    try DecodeBench.run()
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "anchor" {
    AnchorBench.run(characters: CommandLine.arguments.dropFirst(2).first.flatMap(Int.init) ?? 40_000)
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "start" {
    try StartBench.run()
    exit(0)
}

let large = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 5_000
let small = max(50, large / 50)

let document = """
    Grain Corridor Talks Resume
    Setting the Scene
    On 3 March, negotiators met in Istanbul to restart the Black Sea grain corridor. Both delegations described the first session as workmanlike.
    Key Topics
    Inspection regimes remain the main sticking point. Each side wants joint inspection teams in its own ports.
    What to Watch Next
    - Whether insurers resume cover by April.
    - A second round of talks in Geneva.
    """

func clockMs() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1_000_000 }

/// Median milliseconds of `runs` calls of `body`.
func median(_ runs: Int, _ body: (Int) throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for i in 0..<runs {
        let t = clockMs()
        try body(i)
        times.append(clockMs() - t)
    }
    return times.sorted()[times.count / 2]
}

struct Fixture {
    let replica: Replica
    let ids: [String]
    let annotations: [String]
    let dir: URL
}

func build(_ briefings: Int) throws -> Fixture {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
        "brief-bench-\(UUID().uuidString.prefix(6))")
    let replica = try Replica.create(home: dir, name: "bench")
    var ids: [String] = []
    let batch = 500
    for start in stride(from: 0, to: briefings, by: batch) {
        let docs = (start..<min(briefings, start + batch)).map {
            ("d\($0)", document.replacingOccurrences(of: "Istanbul", with: "Istanbul\($0)"))
        }
        ids += try replica.importBriefings(docs, tags: ["bulk"])
    }
    var annotations: [String] = []
    for (i, id) in ids.enumerated() where i % 2 == 0 {
        annotations.append(try replica.annotate(id, quote: "workmanlike", note: "note \(i)", kind: nil))
    }
    for id in ids.prefix(max(1, briefings / 100)) { try replica.tag(id, ["rare"]) }
    return Fixture(replica: replica, ids: ids, annotations: annotations, dir: dir)
}

func measure(_ f: Fixture) throws -> [(String, Double)] {
    let r = f.replica
    let n = 60
    return [
        ("resolve ID prefix", try median(n) { i in _ = try r.fullID(String(f.ids[i * 7 % f.ids.count].prefix(8))) }),
        ("show ID", try median(n) { i in _ = try r.detail(String(f.ids[i * 7 % f.ids.count].prefix(8))) }),
        (
            "annotate",
            try median(n) { i in _ = try r.annotate(f.ids[i * 13 % f.ids.count], quote: "Geneva", note: "n", kind: nil)
            }
        ),
        ("note", try median(n) { i in try r.setNote(f.annotations[i % f.annotations.count], text: "edited \(i)") }),
        ("tag", try median(n) { i in try r.tag(f.ids[i * 11 % f.ids.count], ["t\(i)"]) }),
        ("search (rare word)", try median(n) { i in _ = try r.search("Istanbul\(i * 3 % f.ids.count)") }),
        ("list --tag rare", try median(n) { _ in _ = try r.list(tag: "rare") }),
        ("list (a page)", try median(n) { _ in _ = try r.list(limit: 50) }),
        ("list --all", try median(10) { _ in _ = try r.list() }),
        ("status", try median(n) { _ in _ = try r.status() }),
    ]
}

print("brief-bench: baseline \(small) briefings, large \(large) briefings (half annotated)")
let t0 = clockMs()
let baseline = try build(small)
let big = try build(large)
print(String(format: "built both replicas in %.1f s", (clockMs() - t0) / 1000))
let a = try measure(baseline)
let b = try measure(big)
print("\nCOMMAND              BASELINE ms   LARGE ms    RATIO")
for ((name, x), (_, y)) in zip(a, b) {
    print(
        name.padding(toLength: 20, withPad: " ", startingAt: 0) + String(format: " %11.3f %10.3f %7.2fx", x, y, y / x))
}
if ProcessInfo.processInfo.environment["BENCH_KEEP"] == nil {
    for f in [baseline, big] { try? FileManager.default.removeItem(at: f.dir) }
} else {
    print("kept: \(baseline.dir.path) \(big.dir.path)")
}
