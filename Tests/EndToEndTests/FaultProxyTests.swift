import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Sync through `../shared/tools/faultproxy.py`: a real TCP proxy that resets connections in the
/// middle of requests and answers. Retried syncs must converge with no duplicate.
@Suite struct FaultProxyTests {
    static let proxy = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/tools/faultproxy.py").standardized

    /// A port nothing listens on right now.
    static func freePort() -> Int {
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

    @Test(.enabled(if: FileManager.default.fileExists(atPath: proxy.path)))
    func retriedSyncsThroughResetsConvergeWithoutDuplicates() throws {
        let dir = TemporaryDirectory("faults")
        defer { dir.remove() }
        let data = dir.file("server").path
        for args in [
            ["user", "add", "alice", "--password-stdin"], ["user", "add", "bob", "--password-stdin"],
            ["team", "add", "t"],
            ["team", "add-member", "t", "alice", "--role", "owner"],
            ["team", "add-member", "t", "bob", "--role", "editor"],
        ] {
            #expect(try ProcessRunner.run("briefd", args + ["--data", data], stdin: "s3cret-pass\n").status == 0)
        }
        let (server, port) = try SyncCLITests().startServer(data: data)
        let proxyPort = Self.freePort()
        let proxy = Process()
        proxy.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        proxy.arguments = [
            "python3", Self.proxy.path, String(proxyPort), String(port), "--reset-p", "0.4", "--seed", "7",
        ]
        proxy.standardOutput = FileHandle.nullDevice
        proxy.standardError = FileHandle.nullDevice
        try proxy.run()
        defer {
            // SIGKILL: the proxy is a child of a test thread whose signal mask blocks SIGTERM.
            kill(proxy.processIdentifier, SIGKILL)
            server.terminate()
            proxy.waitUntilExit()
            server.waitUntilExit()
        }
        func brief(_ who: String, _ args: [String], stdin: String? = nil) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", dir.file(who).path], stdin: stdin)
        }
        /// Runs a command until it succeeds (the proxy may still be starting, or reset us).
        func retry(_ who: String, _ args: [String], stdin: String? = nil) throws -> Int {
            for attempt in 1...60 {
                let r = try brief(who, args, stdin: stdin)
                if r.status == 0 { return attempt }
                #expect(r.stderr.contains("cannot reach") || r.stderr.contains("incomplete"), "\(r.stderr)")
            }
            Issue.record("\(who) \(args.first ?? "") never succeeded through the proxy")
            return 0
        }
        let url = "http://127.0.0.1:\(proxyPort)"
        for who in ["alice", "bob"] {
            #expect(try brief(who, ["init", "--name", who]).status == 0)
            _ = try retry(who, ["login", "--server", url, "--user", who, "--password-stdin"], stdin: "s3cret-pass\n")
        }
        var ids: [String] = []
        for (i, text) in [Samples.plain, Samples.markdown, Samples.noHeadings].enumerated() {
            ids.append(
                try brief("alice", ["import", dir.write("d\(i).txt", text)]).stdout.trimmingCharacters(in: .newlines))
        }
        #expect(try brief("alice", ["annotate", ids[0], "--quote", "workmanlike", "--note", "tone"]).status == 0)
        _ = try retry("alice", ["sync", "--batch", "1"])
        _ = try retry("bob", ["sync", "--page", "1"])
        #expect(try brief("bob", ["tag", ids[1], "chips"]).status == 0)
        _ = try retry("bob", ["sync", "--batch", "1"])
        _ = try retry("alice", ["sync", "--page", "1"])
        let listA = try brief("alice", ["list", "--json"]).stdout
        let listB = try brief("bob", ["list", "--json"]).stdout
        #expect(listA == listB)
        let rows = try JSONSerialization.jsonObject(with: Data(listA.utf8)) as! [[String: Any]]
        #expect(rows.count == 3)
        for id in ids {
            #expect(try brief("alice", ["show", id, "--json"]).stdout == brief("bob", ["show", id, "--json"]).stdout)
        }
        // Direct to the server: exactly one record per briefing and annotation, whatever was retried.
        let direct = dir.file("carol").path
        #expect(
            try ProcessRunner.run(
                "briefd", ["user", "add", "carol", "--password-stdin", "--data", data], stdin: "s3cret-pass\n"
            ).status == 0)
        #expect(
            try ProcessRunner.run("briefd", ["team", "add-member", "t", "carol", "--role", "viewer", "--data", data])
                .status == 0)
        #expect(try ProcessRunner.run("brief", ["init", "--home", direct]).status == 0)
        let login = try ProcessRunner.run(
            "brief",
            ["login", "--server", "http://127.0.0.1:\(port)", "--user", "carol", "--password-stdin", "--home", direct],
            stdin: "s3cret-pass\n")
        #expect(login.status == 0)
        let carol = try ProcessRunner.run("brief", ["sync", "--json", "--home", direct]).stdout
        #expect(carol.contains("\"pulled\" : 4"))
    }
}
