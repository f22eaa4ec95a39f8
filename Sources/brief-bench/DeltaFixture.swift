import Foundation
import TestSupport

/// What `delta` and `watch` share: a real `briefd` with analysts A and B, each with a replica
/// logged in (through a byte-counting relay when asked) and holding the same briefing, and the
/// same delta's git baseline (a bare repository and two clones).
struct DeltaFixture {
    let dir: URL
    let server: ServerProcess
    let proxy: CountingProxy?
    let homes: [String]
    let briefing: String
    private let gitA: String
    private let gitB: String

    init(_ name: String, counting: Bool) throws {
        let brief = BenchServer.brief
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("brief-bench-\(name)-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let data = dir.appendingPathComponent("server").path
        let password = "bench-password-1"
        try BenchServer.team(data: data, users: ["a", "b"], password: password)
        server = try BenchServer.start(data: data)
        proxy = counting ? try CountingProxy(upstream: server.port) : nil
        let url = "http://127.0.0.1:\(proxy?.port ?? server.port)"
        let doc = dir.appendingPathComponent("talks.md")
        try "# Talks\n\n## Key Topics\n\nShipping lanes and grain.\n".write(to: doc, atomically: true, encoding: .utf8)
        let dir = dir
        let homes = ["a", "b"].map { dir.appendingPathComponent("home-\($0)").path }
        self.homes = homes
        for (u, home) in zip(["a", "b"], homes) {
            try DeltaBench.run(brief, ["init", "--name", u, "--home", home])
            try DeltaBench.run(
                brief, ["login", "--server", url, "--user", u, "--password-stdin", "--team", "t", "--home", home],
                stdin: password)
        }
        briefing = try DeltaBench.run(brief, ["import", doc.path, "--home", homes[0]]).trimmingCharacters(
            in: .whitespacesAndNewlines)
        try DeltaBench.run(brief, ["sync", "--home", homes[0]])
        try DeltaBench.run(brief, ["sync", "--home", homes[1]])

        let bare = dir.appendingPathComponent("bare.git").path
        gitA = dir.appendingPathComponent("git-a").path
        gitB = dir.appendingPathComponent("git-b").path
        try DeltaBench.run("/usr/bin/git", ["init", "-q", "--bare", bare])
        try DeltaBench.run("/usr/bin/git", ["clone", "-q", bare, gitA])
        try FileManager.default.copyItem(atPath: doc.path, toPath: gitA + "/talks.md")
        try DeltaBench.git(gitA, ["add", "talks.md"])
        try DeltaBench.git(gitA, ["commit", "-q", "-m", "talks"])
        try DeltaBench.git(gitA, ["push", "-q", "origin", "HEAD"])
        try DeltaBench.run("/usr/bin/git", ["clone", "-q", bare, gitB])
    }

    /// The `i`-th new note through git: edit + commit + push + pull in the other clone; wall ms,
    /// each process spawned and waited for directly.
    func gitDelta(_ i: Int) throws -> Double {
        let gitArgs = ["-c", "user.name=bench", "-c", "user.email=bench@example.org"]
        var t = clockMs()
        let file = FileHandle(forWritingAtPath: gitA + "/talks.md")!
        file.seekToEndOfFile()
        file.write(Data("\nnote \(i) on grain\n".utf8))
        try file.close()
        t = clockMs() - t
        t += try StartBench.spawn("/usr/bin/git", ["-C", gitA] + gitArgs + ["commit", "-q", "-am", "note \(i)"])
        t += try StartBench.spawn("/usr/bin/git", ["-C", gitA] + gitArgs + ["push", "-q", "origin", "HEAD"])
        t += try StartBench.spawn("/usr/bin/git", ["-C", gitB] + gitArgs + ["pull", "-q", "--ff-only"])
        return t
    }

    /// The `i`-th new note through `brief annotate` on A; wall ms.
    func annotate(_ i: Int) throws -> Double {
        try StartBench.spawn(
            BenchServer.brief, ["annotate", briefing, "--quote", "grain", "--note", "note \(i)", "--home", homes[0]])
    }

    func remove() {
        server.stop()
        try? FileManager.default.removeItem(at: dir)
    }
}
