import Foundation

/// `brief-bench delta`: one new note from one analyst to another — `brief annotate` + `brief sync`
/// on A + `brief sync` on B against a real `briefd` on loopback — next to the same delta through
/// git (edit + commit + push to a bare repository + pull in a second clone), alternating in one
/// run; medians of the whole and of each step, the ratio, and the bytes each side's sync put on
/// the wire in one more run (through a ``CountingProxy``). Issue 12's targets: at least 2x faster
/// than git, < 1 KB per side.
enum DeltaBench {
    static func run() throws {
        let brief = BenchServer.brief
        // Timed against briefd directly, as git's runs go to their remote directly; the bytes
        // are counted in one more run through a relay (``CountingProxy``) on a second pair of
        // replicas, so the relay's own hop is not in the times.
        let fixture = try DeltaFixture("delta", counting: false)
        defer { fixture.remove() }
        let homes = fixture.homes
        // Processes are spawned and waited for directly (Foundation's `Process` polls for the
        // exit and would add its own tens of milliseconds to each of the seven).
        let runs = 21
        var briefTimes: [Double] = []
        var steps: [[Double]] = [[], [], []]
        var gitTimes: [Double] = []
        for i in 0..<runs {
            let step = [
                try fixture.annotate(i), try StartBench.spawn(brief, ["sync", "--home", homes[0]]),
                try StartBench.spawn(brief, ["sync", "--home", homes[1]]),
            ]
            for (k, t) in step.enumerated() { steps[k].append(t) }
            briefTimes.append(step.reduce(0, +))
            gitTimes.append(try fixture.gitDelta(i))
        }
        let counted = try DeltaFixture("delta-wire", counting: true)
        defer { counted.remove() }
        let proxy = counted.proxy!
        _ = proxy.take()
        _ = try counted.annotate(0)
        _ = try StartBench.spawn(brief, ["sync", "--home", counted.homes[0]])
        let a = proxy.take()
        _ = try StartBench.spawn(brief, ["sync", "--home", counted.homes[1]])
        let wire = [a, proxy.take()]
        let b = briefTimes.sorted()[runs / 2]
        let g = gitTimes.sorted()[runs / 2]
        print("brief-bench delta: one new note from A to B, \(runs) runs each, alternating, median ms")
        print(String(format: "git edit+commit+push+pull (baseline) %8.1f ms", g))
        print(
            String(
                format: "brief annotate+sync A+sync B         %8.1f ms   %.2fx git's time (target <= 0.50x)", b, b / g))
        let median = steps.map { $0.sorted()[runs / 2] }
        print(
            String(
                format: "  medians of the steps: annotate %.1f ms, sync A %.1f ms, sync B %.1f ms", median[0],
                median[1], median[2]))
        print("on the wire, one more run through a counting relay (target < 1 KB per side):")
        for (name, w) in zip(["A: annotate + sync", "B: sync"], wire) {
            print(
                "  \(name.padding(toLength: 20, withPad: " ", startingAt: 0)) bodies \(w.upBodies + w.downBodies) B (sent \(w.upBodies), received \(w.downBodies)); with HTTP heads \(w.up + w.down) B; \(w.connections) connection(s)"
            )
        }
    }

    static func git(_ repo: String, _ args: [String]) throws {
        try run("/usr/bin/git", ["-C", repo, "-c", "user.name=bench", "-c", "user.email=bench@example.org"] + args)
    }

    /// Runs a program to its end; its stdout, or a thrown error with its stderr.
    @discardableResult
    static func run(_ path: String, _ args: [String], stdin: String? = nil) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let input = Pipe()
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data((stdin + "\n").utf8)) }
        try input.fileHandleForWriting.close()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw CocoaError(
                .executableLoad,
                userInfo: [
                    NSLocalizedDescriptionKey:
                        "\(path) \(args.joined(separator: " ")): \(String(decoding: error, as: UTF8.self))"
                ])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
