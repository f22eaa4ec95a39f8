import Foundation

/// `brief-bench delta`: one new note from one analyst to another — `brief annotate` + `brief sync`
/// on A + `brief sync` on B against a real `briefd` on loopback — next to the same delta through
/// git (edit + commit + push to a bare repository + pull in a second clone), alternating in one
/// run; medians and the ratio, and the bytes each side's sync put on the wire (through a
/// ``CountingProxy``). Issue 12's targets: at least 2x faster than git, < 1 KB per side.
enum DeltaBench {
    static func run() throws {
        let brief = BenchServer.brief
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("brief-bench-delta-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("server").path
        let password = "bench-password-1"
        try BenchServer.team(data: data, users: ["a", "b"], password: password)
        let server = try BenchServer.start(data: data)
        defer { server.stop() }
        // Every request goes through a relay that counts the bytes of each analyst's sync.
        let proxy = try CountingProxy(upstream: server.port)
        let url = "http://127.0.0.1:\(proxy.port)"
        let doc = dir.appendingPathComponent("talks.md")
        try "# Talks\n\n## Key Topics\n\nShipping lanes and grain.\n".write(to: doc, atomically: true, encoding: .utf8)
        let homes = ["a", "b"].map { dir.appendingPathComponent("home-\($0)").path }
        for (u, home) in zip(["a", "b"], homes) {
            try run(brief, ["init", "--name", u, "--home", home])
            try run(
                brief, ["login", "--server", url, "--user", u, "--password-stdin", "--team", "t", "--home", home],
                stdin: password)
        }
        let id = try run(brief, ["import", doc.path, "--home", homes[0]]).trimmingCharacters(
            in: .whitespacesAndNewlines)
        try run(brief, ["sync", "--home", homes[0]])
        try run(brief, ["sync", "--home", homes[1]])

        // git: a bare "server" and two clones.
        let bare = dir.appendingPathComponent("bare.git").path
        let ga = dir.appendingPathComponent("git-a").path
        let gb = dir.appendingPathComponent("git-b").path
        try run("/usr/bin/git", ["init", "-q", "--bare", bare])
        try run("/usr/bin/git", ["clone", "-q", bare, ga])
        try FileManager.default.copyItem(atPath: doc.path, toPath: ga + "/talks.md")
        try git(ga, ["add", "talks.md"])
        try git(ga, ["commit", "-q", "-m", "talks"])
        try git(ga, ["push", "-q", "origin", "HEAD"])
        try run("/usr/bin/git", ["clone", "-q", bare, gb])

        // Processes are spawned and waited for directly (Foundation's `Process` polls for the
        // exit and would add its own tens of milliseconds to each of the seven).
        let runs = 21
        var briefTimes: [Double] = []
        var gitTimes: [Double] = []
        let gitArgs = ["-c", "user.name=bench", "-c", "user.email=bench@example.org"]
        var wire: [CountingProxy.Counts] = []
        for i in 0..<runs {
            _ = proxy.take()
            var t = 0.0
            t += try StartBench.spawn(
                brief, ["annotate", id, "--quote", "grain", "--note", "note \(i)", "--home", homes[0]])
            t += try StartBench.spawn(brief, ["sync", "--home", homes[0]])
            let a = proxy.take()
            t += try StartBench.spawn(brief, ["sync", "--home", homes[1]])
            wire = [a, proxy.take()]
            briefTimes.append(t)
            t = clockMs()
            let file = FileHandle(forWritingAtPath: ga + "/talks.md")!
            file.seekToEndOfFile()
            file.write(Data("\nnote \(i) on grain\n".utf8))
            try file.close()
            t = clockMs() - t
            t += try StartBench.spawn("/usr/bin/git", ["-C", ga] + gitArgs + ["commit", "-q", "-am", "note \(i)"])
            t += try StartBench.spawn("/usr/bin/git", ["-C", ga] + gitArgs + ["push", "-q", "origin", "HEAD"])
            t += try StartBench.spawn("/usr/bin/git", ["-C", gb] + gitArgs + ["pull", "-q", "--ff-only"])
            gitTimes.append(t)
        }
        let b = briefTimes.sorted()[runs / 2]
        let g = gitTimes.sorted()[runs / 2]
        print("brief-bench delta: one new note from A to B, \(runs) runs each, alternating, median ms")
        print(String(format: "git edit+commit+push+pull (baseline) %8.1f ms", g))
        print(
            String(
                format: "brief annotate+sync A+sync B         %8.1f ms   %.2fx git's time (target <= 0.50x)", b, b / g))
        print("on the wire, the last run (target < 1 KB per side):")
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
