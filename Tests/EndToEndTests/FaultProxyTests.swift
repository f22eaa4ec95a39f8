import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Sync through a real TCP proxy (``FaultProxy``) that resets connections part-way through
/// answers, cuts answers short and drops requests. Retried syncs must converge with no duplicate.
@Suite struct FaultProxyTests {
    @Test func retriedSyncsThroughFaultsConvergeWithoutDuplicates() throws {
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
        let server = try ServerProcess.start(data: data)
        let port = server.port
        print("FaultProxyTests: seed 7")
        let proxy = try FaultProxy(
            upstream: port, odds: .init(reset: 0.25, truncate: 0.1, dropRequest: 0.1), seed: 7)
        let proxyPort = proxy.port
        defer {
            proxy.stop()
            server.stop()
            print("FaultProxyTests: \(proxy.stats)")
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
        let stats = proxy.stats
        #expect(stats.resets > 0 && stats.truncations > 0 && stats.dropped > 0, "\(stats)")
    }
}
