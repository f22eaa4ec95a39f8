import BriefSyncClient
import BriefSyncModel
import Foundation
import Testing

@testable import BriefSyncServer

/// `POST /v1/password` and `GET /v1/teams/{team}/members` over loopback, on every backend.
@Suite struct AccountRouteTests {
    @Test(arguments: TestBackend.all) func passwordChangeChecksEverythingFirst(_ backend: TestBackend) async throws {
        let h = try await Harness.start(backend)
        try await h.members([("alice", "analysts", .owner)])
        let old = try await h.token("alice")
        let current = Harness.password
        // Bad new passwords and bad bodies: 400, nothing changed.
        let refused: [(String, String)] = [
            (#"{"current":"\#(current)","new":"short"}"#, "the new password needs at least 8 characters"),
            (#"{"current":"\#(current)","new":"tab\there-long"}"#, "the new password holds a control character"),
            (#"{"current":"\#(current)","new":"nul\u0000here-long"}"#, "the new password holds a control character"),
            (
                #"{"current":"\#(current)","new":"\#(String(repeating: "x", count: 1_025))"}"#,
                "the new password is over 1024 bytes"
            ),
            (#"{"current":"\#(current)","new":"long-enough-1","extra":1}"#, ""),
            (#"{"new":"long-enough-1"}"#, ""),
        ]
        for (body, message) in refused {
            let (status, error, _) = try await h.send("POST", "/v1/password", body, token: old)
            #expect(status == 400, "\(body)")
            #expect(error?.message.hasPrefix(message) == true, "\(String(describing: error))")
        }
        let (me, _, _) = try await h.send("GET", "/v1/me", nil, token: old)
        #expect(me == 200)
        // A wrong current password counts as a failed login: the sixth try is 429.
        for attempt in 1...6 {
            let (status, _, _) = try await h.send(
                "POST", "/v1/password", #"{"current":"wrong","new":"long-enough-1"}"#, token: old)
            #expect(status == (attempt <= 5 ? 401 : 429), "attempt \(attempt)")
        }
        await h.stop()
    }

    @Test(arguments: TestBackend.all) func passwordChangeRevokesEveryTokenAndAnswersANewOne(_ backend: TestBackend)
        async throws
    {
        let h = try await Harness.start(backend)
        try await h.members([("alice", "analysts", .owner)])
        let first = try await h.token("alice")
        let second = try await h.token("alice")
        let (status, _, data) = try await h.send(
            "POST", "/v1/password", #"{"current":"\#(Harness.password)","new":"a much newer one"}"#, token: first)
        #expect(status == 200)
        let answer = try WireJSON.decode(Wire.LoginResponse.self, from: data)
        #expect(answer.user == "alice" && answer.token.count == 43)  // 256 bits, base64url
        for token in [first, second] {
            let (s, _, _) = try await h.send("GET", "/v1/me", nil, token: token)
            #expect(s == 401)
        }
        let (fresh, _, _) = try await h.send("GET", "/v1/me", nil, token: answer.token)
        #expect(fresh == 200)
        let (login, _, _) = try await h.send(
            "POST", "/v1/login", #"{"user":"alice","password":"a much newer one"}"#, token: nil)
        #expect(login == 200)
        await h.stop()
    }

    @Test(arguments: TestBackend.all) func membersAreListedToMembersOnly(_ backend: TestBackend) async throws {
        let h = try await Harness.start(backend)
        try await h.members([("olga", "analysts", .owner), ("vic", "analysts", .viewer), ("zed", "other", .owner)])
        let (status, _, data) = try await h.send(
            "GET", "/v1/teams/analysts/members", nil, token: try await h.token("vic"))
        #expect(status == 200)
        #expect(
            try WireJSON.decode(Wire.TeamMembers.self, from: data)
                == Wire.TeamMembers(
                    team: "analysts", members: [.init(user: "olga", role: .owner), .init(user: "vic", role: .viewer)]))
        let zed = try await h.token("zed")
        let (notMine, a, _) = try await h.send("GET", "/v1/teams/analysts/members", nil, token: zed)
        let (missing, b, _) = try await h.send("GET", "/v1/teams/nothing/members", nil, token: zed)
        #expect(notMine == 404 && missing == 404 && a == b)
        let olga = try await h.token("olga")
        let (last, error, _) = try await h.send("DELETE", "/v1/teams/analysts/members/olga", nil, token: olga)
        #expect(
            last == 409
                && error?.message == "olga is the only owner of team 'analysts'; make another member owner first")
        await h.stop()
    }
}
