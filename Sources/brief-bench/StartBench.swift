import Foundation

/// `brief-bench start`: how long `brief` takes to start and answer, next to a Foundation hello
/// world compiled for the purpose (`swiftc -O`, `import Foundation`, one `print`), measured
/// alternately in the same run; medians and ratios.
enum StartBench {
    static func run() throws {
        let brief = BenchServer.brief
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("brief-bench-start-\(getpid())")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let source = home.appendingPathComponent("hello.swift")
        try "import Foundation\nprint(\"hello, \\(ProcessInfo.processInfo.processIdentifier)\")\n".write(
            to: source, atomically: true, encoding: .utf8)
        let hello = home.appendingPathComponent("hello").path
        let swiftc = Process()
        swiftc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        swiftc.arguments = ["swiftc", "-O", source.path, "-o", hello]
        try swiftc.run()
        swiftc.waitUntilExit()
        guard FileManager.default.isExecutableFile(atPath: hello) else {
            print("brief-bench start: could not compile the hello world with swiftc")
            exit(1)
        }
        let replica = home.appendingPathComponent("replica").path
        _ = try spawn(brief, ["init", "--name", "bench", "--home", replica])
        let cases: [(String, String, [String])] = [
            ("hello world (Foundation)", hello, []),
            ("brief --help", brief, ["--help"]),
            ("brief --version", brief, ["--version"]),
            ("brief status", brief, ["status", "--home", replica]),
            ("brief list", brief, ["list", "--home", replica]),
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

    /// Wall milliseconds from spawn to exit, output discarded; a failure throws. posix_spawn and
    /// waitpid directly: Foundation's `Process.waitUntilExit` polls and would add its own ~50 ms to
    /// every figure.
    static func spawn(_ path: String, _ args: [String]) throws -> Double {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let t = clockMs()
        guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else {
            throw CocoaError(.executableNotLoadable, userInfo: [NSFilePathErrorKey: path])
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let elapsed = clockMs() - t
        guard status == 0 else {
            throw CocoaError(
                .executableLoad,
                userInfo: [NSLocalizedDescriptionKey: "\(path) \(args.joined(separator: " ")) exited with \(status)"])
        }
        return elapsed
    }
}
