import Foundation

/// `brief-bench watch`: one new note from A to B with `brief sync --watch` running on both
/// replicas: from spawning `brief annotate` on A to B's watcher reporting the note applied
/// (it prints a line after a sync that moved something, once the sync's transaction is
/// committed), next to the same delta through git in the same run, alternating; medians and
/// the ratio. Issue 12's target: at least 5x faster than git.
enum WatchBench {
    static func run() throws {
        let fixture = try DeltaFixture("watch", counting: false)
        defer { fixture.remove() }
        let a = try Watcher(home: fixture.homes[0])
        let b = try Watcher(home: fixture.homes[1])
        defer {
            a.stop()
            b.stop()
        }
        // Once through before measuring: both watchers connected and caught up.
        _ = try fixture.annotate(-1)
        try a.nextLine()
        try b.nextLine()
        let runs = 21
        var whole: [Double] = []
        var afterWrite: [Double] = []
        var gitTimes: [Double] = []
        for i in 0..<runs {
            let start = clockMs()
            let written = start + (try fixture.annotate(i))
            try b.nextLine()
            let seen = clockMs()
            try a.nextLine()
            whole.append(seen - start)
            afterWrite.append(max(0, seen - written))
            gitTimes.append(try fixture.gitDelta(i))
        }
        let median = { (xs: [Double]) in xs.sorted()[runs / 2] }
        let g = median(gitTimes)
        print("brief-bench watch: one new note from A to B, both watching, \(runs) runs each, alternating, median ms")
        print(String(format: "git edit+commit+push+pull (baseline)        %8.1f ms", g))
        print(
            String(
                format: "brief annotate on A -> applied on B          %8.1f ms   %.2fx faster than git (target >= 5x)",
                median(whole), g / median(whole)))
        print(
            String(
                format: "  of which after annotate exited (sync)      %8.1f ms", median(afterWrite)))
    }

    /// `brief sync --watch` on a replica, its output read line by line as it comes.
    final class Watcher {
        let pid: pid_t
        private let output: Int32
        private var buffer: [UInt8] = []

        init(home: String) throws {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw CocoaError(.fileWriteUnknown) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            let path = BenchServer.brief
            let args: [String] = [path, "sync", "--watch", "--home", home]
            let argv = args.map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid: pid_t = 0
            guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else {
                throw CocoaError(.executableNotLoadable, userInfo: [NSFilePathErrorKey: path])
            }
            close(fds[1])
            self.pid = pid
            output = fds[0]
        }

        /// Blocks until the watcher prints its next line (a sync that moved something).
        func nextLine() throws {
            while true {
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    buffer.removeSubrange(...newline)
                    return
                }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let n = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
                guard n > 0 else {
                    throw CocoaError(
                        .executableLoad, userInfo: [NSLocalizedDescriptionKey: "brief sync --watch ended early"])
                }
                buffer += chunk.prefix(n)
            }
        }

        func stop() {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            close(output)
        }
    }
}
