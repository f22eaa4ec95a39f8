import Foundation

/// `brief-bench start`: how long `brief` takes to start and answer, next to a Foundation hello
/// world (this program with `hello`), measured alternately in the same run; medians and ratios.
enum StartBench {
    static func run() throws {
        let bin = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let brief = bin.appendingPathComponent("brief").path
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("brief-bench-start-\(getpid())")
        defer { try? FileManager.default.removeItem(at: home) }
        _ = try spawn(brief, ["init", "--name", "bench", "--home", home.path])
        let cases: [(String, String, [String])] = [
            ("hello world (Foundation)", CommandLine.arguments[0], ["hello"]),
            ("brief --help", brief, ["--help"]),
            ("brief --version", brief, ["--version"]),
            ("brief status", brief, ["status", "--home", home.path]),
            ("brief list", brief, ["list", "--home", home.path]),
        ]
        let runs = 31
        var times = Array(repeating: [Double](), count: cases.count)
        for _ in 0..<runs {
            for (i, c) in cases.enumerated() { times[i].append(try spawn(c.1, c.2)) }
        }
        let medians = times.map { $0.sorted()[runs / 2] }
        print("brief-bench start: \(runs) runs each, alternating; median ms and ratio to hello world")
        for (i, c) in cases.enumerated() {
            print(
                c.0.padding(toLength: 26, withPad: " ", startingAt: 0)
                    + String(format: " %8.2f ms %6.2fx", medians[i], medians[i] / medians[0]))
        }
        print("target: brief --help <= 1.50x hello world")
    }

    /// Wall milliseconds from spawn to exit, output discarded.
    static func spawn(_ path: String, _ args: [String]) throws -> Double {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        let t = clockMs()
        try p.run()
        p.waitUntilExit()
        return clockMs() - t
    }
}
