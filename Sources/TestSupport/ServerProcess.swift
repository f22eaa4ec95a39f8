import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A `briefd serve` process on loopback, as an admin would run it, for end-to-end tests.
public final class ServerProcess: @unchecked Sendable {
    public let process: Process
    public let port: Int
    public let data: String
    public var url: String { "http://127.0.0.1:\(port)" }

    private init(process: Process, port: Int, data: String) {
        self.process = process
        self.port = port
        self.data = data
    }

    /// Starts `briefd serve --data DATA --port PORT` (0: a free one) and waits until it listens.
    /// `extra`: more `serve` options.
    public static func start(data: String, port: Int = 0, extra: [String] = []) throws -> ServerProcess {
        try start(arguments: ["serve", "--data", data, "--port", String(port)] + extra, data: data)
    }

    /// Starts `briefd ARGUMENTS` with `environment` added; standard error goes to `stderr` (a
    /// file path) when given.
    public static func start(
        arguments: [String], environment: [String: String] = [:], data: String, stderr: String? = nil
    ) throws -> ServerProcess {
        let p = Process()
        p.executableURL = ProcessRunner.productsDirectory.appendingPathComponent("briefd")
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        if let stderr {
            FileManager.default.createFile(atPath: stderr, contents: nil)
            p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderr))
        } else {
            p.standardError = FileHandle.nullDevice
        }
        try p.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "127.0.0.1:"), let port = Int(text[range.upperBound...].prefix { $0.isNumber })
        else {
            p.terminate()
            p.waitUntilExit()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "briefd did not start: \(text)"])
        }
        return ServerProcess(process: p, port: port, data: data)
    }

    /// SIGTERM, then waits for it to exit.
    public func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// SIGKILL: no chance to clean up, like a power cut for the process.
    public func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// A loopback port nothing listens on right now.
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

/// A team on a `briefd` data folder, set up with the admin commands, and a `brief` home per user.
public struct TeamFixture: Sendable {
    public let dir: TemporaryDirectory
    public let data: String
    public static let password = "s3cret-pass"

    /// Creates `team` with `members` (user → role) through `briefd user add` / `team add-member`.
    public init(_ label: String, team: String = "analysts", members: [(String, String)]) throws {
        dir = TemporaryDirectory(label)
        data = dir.file("server").path
        _ = try ProcessRunner.run("briefd", ["team", "add", team, "--data", data])
        for (user, role) in members {
            try addUser(user)
            try setRole(user, role, team: team)
        }
    }

    public func addUser(_ user: String) throws {
        let r = try ProcessRunner.run(
            "briefd", ["user", "add", user, "--password-stdin", "--data", data], stdin: Self.password + "\n")
        guard r.status == 0 else {
            throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: r.stderr])
        }
    }

    public func setRole(_ user: String, _ role: String, team: String = "analysts") throws {
        let r = try ProcessRunner.run("briefd", ["team", "add-member", team, user, "--role", role, "--data", data])
        guard r.status == 0 else {
            throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: r.stderr])
        }
    }

    public func home(_ user: String) -> String { dir.file(user).path }

    /// Runs `brief ARGS --home HOME(user)`.
    public func brief(_ user: String, _ args: [String], stdin: String? = nil) throws -> ProcessRunner.Result {
        try ProcessRunner.run("brief", args + ["--home", home(user)], stdin: stdin)
    }

    /// `brief init` then `brief login` against `url`.
    public func join(_ user: String, server url: String, team: String? = nil) throws -> ProcessRunner.Result {
        _ = try brief(user, ["init", "--name", user])
        return try login(user, server: url, team: team)
    }

    public func login(_ user: String, server url: String, team: String? = nil) throws -> ProcessRunner.Result {
        try brief(
            user,
            ["login", "--server", url, "--user", user, "--password-stdin"] + (team.map { ["--team", $0] } ?? []),
            stdin: Self.password + "\n")
    }

    /// A small briefing (title, one section) written to a file and imported by `user`.
    @discardableResult
    public func importTalks(_ user: String) throws -> ProcessRunner.Result {
        let file = dir.file("talks-\(user).md").path
        try "# Talks\n\n## Key Topics\n\nShipping lanes and grain.\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        return try brief(user, ["import", file])
    }

    /// `brief ARGS --json` parsed.
    public func json(_ user: String, _ args: [String]) throws -> Any {
        let r = try brief(user, args + ["--json"])
        return (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) ?? [String: Any]()
    }

    public func remove() { dir.remove() }
}
