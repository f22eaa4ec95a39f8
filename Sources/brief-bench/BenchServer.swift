import Foundation

/// A release `briefd serve` started next to this binary on a free loopback port, for the benches
/// that measure through a real server.
struct BenchServer {
    let process: Process
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    /// `briefd`, built next to `brief-bench`, or a clear exit.
    static var binary: String {
        let briefd = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("briefd").path
        guard FileManager.default.isExecutableFile(atPath: briefd) else {
            print("brief-bench: build briefd first (swift build -c release --product briefd)")
            exit(1)
        }
        return briefd
    }

    /// Starts `briefd serve` on `data` with `environment` added, and returns once it listens.
    static func start(data: String, environment: [String: String] = [:]) throws -> BenchServer {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: binary)
        server.arguments = ["serve", "--data", data, "--port", "0", "--log-level", "warning"]
        server.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let announce = Pipe()
        server.standardOutput = announce
        server.standardError = FileHandle.nullDevice
        try server.run()
        // Ready once it says where it listens (its first line names the port).
        var said = Data()
        while !said.contains(UInt8(ascii: "\n")) {
            let chunk = announce.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said += chunk
        }
        let line = String(decoding: said, as: UTF8.self)
        guard let colon = line.range(of: "127.0.0.1:"),
            let port = Int(line[colon.upperBound...].prefix { $0.isNumber }), port > 0
        else {
            server.terminate()
            throw HTTPConnection.Failure(description: "briefd did not say where it listens: \(line)")
        }
        return BenchServer(process: server, port: port)
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
