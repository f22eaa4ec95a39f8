import Foundation
import TestSupport
import Testing

/// `briefd serve` as a service: set up from the environment alone, JSON logs without secrets,
/// Prometheus metrics that move, SIGTERM honoured with event streams open.
@Suite struct ServiceCLITests {

    /// `name{labels} value` or a `#` comment: Prometheus' text format, line by line.
    static func isExposition(_ text: String) -> Bool {
        let sample = try! Regex(
            #"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})? [-+0-9.eE]+|[-+]?Inf|NaN$"#
        )
        return text.split(separator: "\n").allSatisfy { line in
            line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") || line.wholeMatch(of: sample) != nil
        }
    }

    static func value(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap {
            Double($0.split(separator: " ").last!)
        }
    }

    static func metrics(_ server: ServerProcess) async throws -> String {
        String(decoding: try await HTTPProbe.send("GET", server.url + "/metrics").body, as: UTF8.self)
    }

    @Test func aServerSetUpFromTheEnvironmentLogsJSONWithoutSecretsAndCountsInMetrics() async throws {
        let team = try TeamFixture("e2e-service", members: [("ann", "editor")])
        defer { team.remove() }
        let log = team.dir.file("briefd.log").path
        let server = try ServerProcess.start(
            arguments: ["serve"],
            environment: [
                "BRIEFD_DATA": team.data, "BRIEFD_PORT": "0", "BRIEFD_LOG_FORMAT": "json", "BRIEFD_LOG_LEVEL": "info",
            ],
            data: team.data, stderr: log)
        let wrong = "wrong-password-7f3a"
        let bad = try await HTTPProbe.send(
            "POST", server.url + "/v1/login", body: Data(#"{"user":"ann","password":"\#(wrong)"}"#.utf8))
        #expect(bad.status == 401)
        let metrics0 = try await Self.metrics(server)
        #expect(Self.isExposition(metrics0), "\(metrics0.prefix(400))")
        let pushes0 = Self.value(metrics0, "briefd_pushes_total") ?? -1
        #expect(try team.join("ann", server: server.url, team: "analysts").status == 0)
        #expect(try team.importTalks("ann").status == 0)
        #expect(try team.brief("ann", ["sync"]).status == 0)
        let metrics1 = try await Self.metrics(server)
        #expect(Self.isExposition(metrics1))
        #expect((Self.value(metrics1, "briefd_pushes_total") ?? 0) == pushes0 + 1)
        #expect((Self.value(metrics1, "briefd_mutations_accepted_total") ?? 0) >= 1)
        #expect(Self.value(metrics1, "briefd_failed_logins_total") == 1)
        #expect(metrics1.contains(#"briefd_http_requests_total{route="/v1/push",method="POST",status="200"} 1"#))
        let token = try String(contentsOfFile: team.home("ann") + "/credentials.json", encoding: .utf8)
        server.stop()
        #expect(server.process.terminationStatus == 0)

        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] }
        #expect(objects.count == lines.count && !lines.isEmpty, "every line is one JSON object")
        #expect(objects.allSatisfy { $0["ts"] != nil && $0["level"] != nil && $0["message"] != nil })
        let messages = objects.map { $0["message"] ?? "" }
        #expect(messages.contains("started") && messages.last == "stopped")
        #expect(
            objects.contains {
                $0["message"] == "login refused" && $0["user"] == "ann" && $0["reason"] == "wrong password"
            })
        #expect(
            objects.contains {
                $0["path"] == "/v1/push" && $0["status"] == "200" && $0["user"] == "ann" && $0["request_id"] != nil
            })
        let all = lines.joined(separator: "\n")
        #expect(!all.contains(wrong) && !all.contains(TeamFixture.password))
        let tokenValue = try #require(token.split(separator: "\"").first { $0.count >= 40 })
        #expect(!all.contains(tokenValue), "no token in the log")
    }

    @Test func sigtermStopsTheServerWithEventStreamsOpen() async throws {
        let team = try TeamFixture("e2e-sigterm-events", members: [("ann", "editor")])
        defer { team.remove() }
        let server = try ServerProcess.start(data: team.data)
        #expect(try team.join("ann", server: server.url, team: "analysts").status == 0)
        let watcher = try ProcessRunner.start("brief", ["sync", "--watch", "--home", team.home("ann")])
        defer {
            watcher.process.terminate()
            _ = try? watcher.finish()
        }
        // The watcher holds /v1/events open once it has synced: the gauge says so.
        var open = false
        for _ in 0..<400 where !open {
            open = Self.value(try await Self.metrics(server), "briefd_event_streams_open") == 1
            if !open { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(open)
        server.process.terminate()
        let stopped = eventually(20) { !server.process.isRunning }
        #expect(stopped, "briefd still running 20 s after SIGTERM (systemd's default stop timeout is 90 s)")
        server.stop()
        #expect(server.process.terminationStatus == 0)
    }
}

extension ServiceCLITests {
    static let systemdAnalyze = "/usr/bin/systemd-analyze"

    /// docs/briefd.service passes `systemd-analyze verify` (with ExecStart pointed at the built
    /// briefd), without a warning, and sets only variables `briefd serve` knows.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: ServiceCLITests.systemdAnalyze)))
    func theSystemdUnitVerifies() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs")
        let unit = try String(contentsOf: docs.appendingPathComponent("briefd.service"), encoding: .utf8)
        let dir = TemporaryDirectory("systemd-unit")
        defer { dir.remove() }
        let briefd = ProcessRunner.productsDirectory.appendingPathComponent("briefd").path
        let path = dir.write("briefd.service", unit.replacingOccurrences(of: "/usr/local/bin/briefd", with: briefd))
        let verified = try ProcessRunner.runTool(Self.systemdAnalyze, ["verify", path])
        #expect(verified.status == 0 && verified.stderr.isEmpty, "\(verified.stderr)")
        let help = try ProcessRunner.run("briefd", ["serve", "--help"]).stdout
        let variables = unit.split(separator: "\n").filter { $0.hasPrefix("Environment=BRIEFD_") }
            .map { $0.dropFirst("Environment=".count).prefix { $0 != "=" } }
        #expect(!variables.isEmpty)
        for name in variables { #expect(help.contains(String(name)), "\(name) is not a briefd serve setting") }
    }
}
