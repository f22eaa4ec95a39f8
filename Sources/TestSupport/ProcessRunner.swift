import Foundation

/// Runs the package's built executables as a person would, for end-to-end tests.
public enum ProcessRunner {
    /// What a finished process left behind.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The folder holding the built products (next to the running test bundle).
    public static var productsDirectory: URL {
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        if dir.lastPathComponent == "MacOS" {
            dir = dir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        }
        return dir
    }

    /// Runs `product` (e.g. "brief") with `arguments`, feeding `stdin`, and waits for it.
    public static func run(
        _ product: String, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]
    ) throws -> Result {
        try runTool(
            productsDirectory.appendingPathComponent(product).path, arguments, stdin: stdin, environment: environment)
    }

    /// Runs the program at `path` (a system tool such as pg_dump) and waits for it.
    public static func runTool(
        _ path: String, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "BRIEF_HOME")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let outURL = FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString)")
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}

extension ProcessRunner {
    /// What a run that may have been killed left behind: `result` is nil when it was killed.
    public struct Killed: Sendable {
        public var result: Result?
        public var killed: Bool { result == nil }
    }

    /// Starts `product` and SIGKILLs it after `afterMicroseconds` unless it finished first (a
    /// fault injected at a random point, not a timing assumption).
    public static func runKilled(
        _ product: String, _ arguments: [String], afterMicroseconds: UInt32, stdin: String? = nil
    ) throws -> Killed {
        let process = try start(product, arguments)
        if let stdin { process.input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? process.input.fileHandleForWriting.close()
        usleep(afterMicroseconds)
        if process.process.isRunning { kill(process.process.processIdentifier, SIGKILL) }
        return Killed(result: try process.finish())
    }

    /// A started process whose output goes to files.
    public final class Running: @unchecked Sendable {
        public let process: Process
        let input: Pipe
        let out: URL
        let err: URL

        init(process: Process, input: Pipe, out: URL, err: URL) {
            self.process = process
            self.input = input
            self.out = out
            self.err = err
        }

        /// Waits for the process; nil if a signal ended it.
        public func finish() throws -> Result? {
            process.waitUntilExit()
            defer {
                try? FileManager.default.removeItem(at: out)
                try? FileManager.default.removeItem(at: err)
            }
            guard process.terminationReason == .exit else { return nil }
            return Result(
                status: process.terminationStatus,
                stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
        }
    }

    /// Starts `product` without waiting for it.
    public static func start(_ product: String, _ arguments: [String]) throws -> Running {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent(product)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "BRIEF_HOME")
        process.environment = env
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString)")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let input = Pipe()
        process.standardInput = input
        try process.run()
        return Running(process: process, input: input, out: out, err: err)
    }
}

extension ProcessRunner {
    /// Runs `product` on a pseudo-terminal (through util-linux `script`), as a person at a
    /// terminal would; stdout and stderr arrive together, with the terminal's `\r\n`.
    public static func runOnTerminal(
        _ product: String, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]
    ) throws -> Result {
        let settings = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let command =
            (environment.isEmpty ? [] : ["env"] + settings)
            + [productsDirectory.appendingPathComponent(product).path] + arguments
        let quoted = command.map {
            "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qefc", quoted, "/dev/null"]
        let out = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        return Result(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
    }
}
