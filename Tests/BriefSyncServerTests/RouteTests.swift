import BriefSyncModel
import BriefSyncServer
import Foundation
import TestSupport
import Testing

/// The routes, through the router's responder: every endpoint is routed, every one that needs a
/// token refuses without a good one, and `docs/openapi.yaml` describes exactly these endpoints.
@Suite struct RouteTests {
    static func inProcess(_ h: Harness) -> InProcessServer {
        InProcessServer(
            service: SyncService(store: h.server.store, now: { Int64(Date().timeIntervalSince1970 * 1000) }))
    }

    /// A path for `endpoint` with plausible parameters.
    static func samplePath(_ endpoint: Wire.Endpoint) -> String {
        endpoint.path("analysts", "bob").replacingOccurrences(of: "/v1/records/analysts/", with: "/v1/records/rec-1/")
    }

    @Test func everyEndpointThatNeedsATokenRefusesWithoutAGoodOne() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        try await h.members([("alice", "analysts", .owner)])
        let revoked = try await h.token("alice")
        #expect(try await h.send("POST", "/v1/logout", nil, token: revoked).0 == 200)
        let server = Self.inProcess(h)
        let protected = Wire.Endpoint.all.filter(\.authenticated)
        #expect(protected.count == 10)
        for endpoint in protected {
            for token in [nil, "not-a-token", revoked] {
                let answer = await server.send(
                    method: endpoint.method, path: Self.samplePath(endpoint), body: Data("{}".utf8), token: token)
                let error = try? WireJSON.decode(Wire.ErrorBody.self, from: answer.body)
                #expect(
                    answer.status == 401 && error?.error == "unauthorized", "\(endpoint) with \(token ?? "no token")")
            }
        }
    }

    @Test func everyEndpointIsRoutedAndOthersGetJSON404Or405() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        try await h.members([("alice", "analysts", .owner), ("bob", "analysts", .viewer)])
        let token = try await h.token("alice")
        let server = Self.inProcess(h)
        for endpoint in Wire.Endpoint.all where endpoint != .events && endpoint != .logout {
            let body: Data? =
                endpoint == .login
                ? try WireJSON.data(Wire.LoginRequest(user: "alice", password: Harness.password))
                : endpoint == .push ? Data(#"{"mutations":[]}"#.utf8) : Data(#"{"role":"viewer"}"#.utf8)
            let answer = await server.send(
                method: endpoint.method, path: Self.samplePath(endpoint),
                query: endpoint == .pull ? ["replica": "r1"] : [:],
                body: body, token: token)
            let error = try? WireJSON.decode(Wire.ErrorBody.self, from: answer.body)
            #expect(error?.message.hasPrefix("no such endpoint") != true, "\(endpoint): \(answer.status)")
            #expect(answer.status != 405, "\(endpoint)")
        }
        let unknown = await server.send(method: "GET", path: "/v1/nothing", body: nil, token: token)
        #expect(unknown.status == 404)
        #expect(
            try WireJSON.decode(Wire.ErrorBody.self, from: unknown.body).message == "no such endpoint: GET /v1/nothing")
        let wrong = await server.send(method: "DELETE", path: "/v1/push", body: nil, token: token)
        #expect(wrong.status == 405)
        #expect(try WireJSON.decode(Wire.ErrorBody.self, from: wrong.body).error == "method_not_allowed")
    }

    /// `docs/openapi.yaml` lists exactly the endpoints of ``Wire/Endpoint/all``, with the same
    /// methods, and asks a bearer token of exactly the endpoints that need one.
    @Test func theOpenAPIDocumentDescribesExactlyTheseEndpoints() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/openapi.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        var documented: Set<String> = []
        var guarded: Set<String> = []
        var path: String? = nil
        var method: String? = nil
        var inPaths = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" {
                inPaths = true
                continue
            }
            guard inPaths else { continue }
            if !line.hasPrefix(" "), !line.isEmpty { break }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let word = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "delete"].contains(word) {
                    method = word.uppercased()
                    documented.insert("\(word.uppercased()) \(path)")
                } else {
                    method = nil
                }
            } else if let path, let method, line.trimmingCharacters(in: .whitespaces) == "security: [{ bearer: [] }]" {
                guarded.insert("\(method) \(path)")
            }
        }
        #expect(documented == Set(Wire.Endpoint.all.map(\.description)))
        #expect(guarded == Set(Wire.Endpoint.all.filter(\.authenticated).map(\.description)))
    }
}

extension RouteTests {
    /// Behind a trusted proxy the client's address comes from X-Forwarded-For (its last hop), so
    /// the login limit counts per real client; without --trust-proxy the header is ignored.
    @Test func xForwardedForCountsOnlyBehindATrustedProxy() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        try await h.members([("owner", "analysts", .owner)])
        let wrong = Data(#"{"user":"owner","password":"guess-guess"}"#.utf8)
        for trust in [true, false] {
            let server = InProcessServer(
                service: SyncService(store: h.server.store, now: { Int64(Date().timeIntervalSince1970 * 1000) }),
                trustProxy: trust)
            let prefix = trust ? "198.51.100." : "192.0.2."
            for _ in 0..<5 {
                let a = await server.send(
                    method: "POST", path: "/v1/login", body: wrong, token: nil, client: "10.0.0.1",
                    headers: ["X-Forwarded-For": "203.0.113.250, \(prefix)1"])
                #expect(a.status == 401)
            }
            let other = await server.send(
                method: "POST", path: "/v1/login", body: wrong, token: nil, client: "10.0.0.1",
                headers: ["X-Forwarded-For": "\(prefix)2"])
            // Trusted: another client behind the proxy is not limited. Untrusted: every request
            // is the proxy's own address, which has used up its budget for this name.
            #expect(other.status == (trust ? 401 : 429), "trust \(trust)")
        }
    }
}
