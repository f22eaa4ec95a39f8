import Foundation
import TestSupport

/// The real binaries the benches measure: the release builds next to `brief-bench`; `briefd` is
/// started with TestSupport's ``ServerProcess``.
enum BenchServer {
    /// `brief`, built next to `brief-bench`.
    static var brief: String { ProcessRunner.productsDirectory.appendingPathComponent("brief").path }

    /// `briefd`, built next to `brief-bench`, or a clear exit.
    static var binary: String {
        let briefd = ProcessRunner.productsDirectory.appendingPathComponent("briefd").path
        guard FileManager.default.isExecutableFile(atPath: briefd) else {
            print("brief-bench: build briefd first (swift build -c release --product briefd)")
            exit(1)
        }
        return briefd
    }

    /// A data folder with team `t` whose members are `users` (editors), each with `password`.
    static func team(data: String, users: [String], password: String) throws {
        let briefd = binary
        try DeltaBench.run(briefd, ["team", "add", "t", "--data", data])
        for u in users {
            try DeltaBench.run(briefd, ["user", "add", u, "--password-stdin", "--data", data], stdin: password)
            try DeltaBench.run(briefd, ["team", "add-member", "t", u, "--role", "editor", "--data", data])
        }
    }

    /// `briefd serve` on `data`, on a free loopback port, with `environment` added.
    static func start(data: String, environment: [String: String] = [:]) throws -> ServerProcess {
        _ = binary
        return try ServerProcess.start(
            arguments: ["serve", "--data", data, "--port", "0", "--log-level", "warning"], environment: environment,
            data: data)
    }
}
