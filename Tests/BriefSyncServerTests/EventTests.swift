import BriefSyncClient
import BriefSyncModel
import Foundation
import TestSupport
import Testing

@testable import BriefSyncServer

/// `GET /v1/events` over real HTTP: pokes reach members, never others, and a stream ends when
/// its token is revoked or its user leaves a team.
@Suite(.serialized) struct EventTests {
    /// Reads a stream in the background, keeping what arrives.
    final class Listener: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [(Wire.ServerEvent, ContinuousClock.Instant)] = []
        private var ended: (any Error)?? = nil
        private var task: Task<Void, Never>? = nil

        init(_ stream: AsyncThrowingStream<Wire.ServerEvent, any Error>) {
            task = Task {
                do {
                    for try await event in stream { self.lock.withLock { self.events.append((event, .now)) } }
                    self.lock.withLock { self.ended = .some(nil) }
                } catch {
                    self.lock.withLock { self.ended = .some(error) }
                }
            }
        }

        var received: [Wire.ServerEvent] { lock.withLock { events.map(\.0) } }
        /// The teams of the pokes received (a poke's first data line; a second may carry a page).
        var pokes: [String] {
            received.filter { $0.name == "poke" }.compactMap { Self.team(of: $0) }
        }
        static func team(of event: Wire.ServerEvent) -> String? {
            let head = event.data.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return try? WireJSON.decode(Wire.Events.Poke.self, from: Data(head.utf8)).team
        }
        func arrival(of team: String) -> ContinuousClock.Instant? {
            lock.withLock {
                events.first {
                    $0.0.name == "poke" && Self.team(of: $0.0) == team
                }?.1
            }
        }
        var end: (any Error)?? { lock.withLock { ended } }
        func stop() { task?.cancel() }

        /// Waits (up to `seconds`) until `condition` holds.
        func wait(seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
            let deadline = ContinuousClock.now + .seconds(seconds)
            while ContinuousClock.now < deadline {
                if condition() { return true }
                try? await Task.sleep(for: .milliseconds(10))
            }
            return condition()
        }
    }

    static func briefing(_ id: String, team: String) -> Mutation {
        var delta = Record(id: id, kind: .briefing)
        let stamp = Stamp(physical: Int64(Date().timeIntervalSince1970 * 1000), counter: 0, replica: "r-\(id)")
        delta.set(Briefing.Field.title, .string("T"), at: stamp)
        delta.set(Briefing.Field.team, .string(team), at: stamp)
        return Mutation(id: "m-\(id)", replica: "r-\(id)", delta: delta)
    }

    static func push(_ h: Harness, _ token: String, _ m: Mutation) async throws {
        let (status, _, data) = try await h.send(
            "POST", "/v1/push", String(decoding: try WireJSON.data(Wire.PushRequest(mutations: [m])), as: UTF8.self),
            token: token)
        precondition(status == 200, String(decoding: data, as: UTF8.self))
    }

    static func limits() -> ServerLimits {
        var limits = ServerLimits()
        limits.heartbeat = .milliseconds(300)
        return limits
    }

    @Test(arguments: TestBackend.all) func aMemberIsPokedAndANonMemberNever(_ backend: TestBackend) async throws {
        let h = try await Harness.start(backend, limits: Self.limits())
        defer { Task { await h.stop() } }
        try await h.members([("alice", "analysts", .editor), ("nina", "ops", .editor)])
        let alice = Listener(h.transport.events(path: Wire.Endpoint.events.path(), token: try await h.token("alice")))
        let ninaToken = try await h.token("nina")
        let nina = Listener(h.transport.events(path: Wire.Endpoint.events.path(), token: ninaToken))
        defer {
            alice.stop()
            nina.stop()
        }
        #expect(await alice.wait { alice.received.first?.name == "ready" })
        #expect(await nina.wait { nina.received.first?.name == "ready" })
        #expect(alice.received.first?.data == #"{"teams":["analysts"]}"#)
        let aliceToken = try await h.token("alice")
        try await Self.push(h, aliceToken, Self.briefing("b-analysts", team: "analysts"))
        // From the moment the push is acknowledged (the poke is handed to the streams before).
        let acknowledged = ContinuousClock.now
        #expect(await alice.wait { alice.pokes == ["analysts"] })
        // How soon is a figure, printed; that the poke leaves with the commit, before the answer,
        // is asserted without a clock in aPushHandsItsPokeToTheStreamsBeforeItIsAcknowledged.
        let latency = alice.arrival(of: "analysts").map { max(.zero, $0 - acknowledged) }
        print("poke latency: \(latency.map { "\($0)" } ?? "none")")
        // Nina's own team changes next: the first poke she sees is for ops, never analysts.
        // (Through another login: a push is not announced to its own token's stream.)
        try await Self.push(h, try await h.token("nina"), Self.briefing("b-ops", team: "ops"))
        #expect(await nina.wait { !nina.pokes.isEmpty })
        #expect(nina.pokes == ["ops"])
        #expect(alice.pokes == ["analysts"])
        // Heartbeats keep the connection alive (comments, not events).
        #expect(alice.end == nil && nina.end == nil)
    }

    /// The poke is handed to every open stream inside the push request, before its answer: once
    /// the push is acknowledged, ending the stream still yields the poke it already holds. (No
    /// clock: a poke sent later would be missing, not late.)
    @Test(arguments: TestBackend.all) func aPushHandsItsPokeToTheStreamsBeforeItIsAcknowledged(_ backend: TestBackend)
        async throws
    {
        let h = try await Harness.start(backend)
        defer { Task { await h.stop() } }
        try await h.members([("alice", "analysts", .editor)])
        let token = try await h.token("alice")
        let service = SyncService(store: h.server.store, now: { Int64(Date().timeIntervalSince1970 * 1000) })
        let server = InProcessServer(service: service)
        let (id, stream) = await service.events.subscribe(session: "another token", heartbeat: .seconds(3600))
        let body = try WireJSON.data(Wire.PushRequest(mutations: [Self.briefing("b-now", team: "analysts")]))
        let answer = await server.send(method: "POST", path: "/v1/push", body: body, token: token)
        #expect(answer.status == 200)
        await service.events.unsubscribe(id)
        var pokes: [String] = []
        for await event in stream {
            if case .poke(let teams, _) = event { pokes += teams }
        }
        #expect(pokes == ["analysts"])
    }

    /// A push is not announced to the stream opened with the pushing token: that replica pulls
    /// right after its push, and a poke would only cost it a second, empty sync. The same user's
    /// other logins (another machine) hear it.
    @Test func aPushIsNotAnnouncedToItsOwnTokensStream() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        try await h.members([("alice", "analysts", .editor)])
        let token = try await h.token("alice")
        let service = SyncService(store: h.server.store, now: { Int64(Date().timeIntervalSince1970 * 1000) })
        let server = InProcessServer(service: service)
        let own = await service.events.subscribe(session: BearerToken.hash(token), heartbeat: .seconds(3600))
        let other = await service.events.subscribe(
            session: BearerToken.hash(try await h.token("alice")), heartbeat: .seconds(3600))
        let body = try WireJSON.data(Wire.PushRequest(mutations: [Self.briefing("b-own", team: "analysts")]))
        #expect(await server.send(method: "POST", path: "/v1/push", body: body, token: token).status == 200)
        func pokes(_ subscription: (UUID, AsyncStream<EventHub.Event>)) async -> [String] {
            await service.events.unsubscribe(subscription.0)
            var pokes: [String] = []
            for await event in subscription.1 {
                if case .poke(let teams, _) = event { pokes += teams }
            }
            return pokes
        }
        #expect(await pokes(own) == [])
        #expect(await pokes(other) == ["analysts"])
    }

    @Test(arguments: TestBackend.all) func aRevokedTokenOrALostMembershipEndsTheStream(_ backend: TestBackend)
        async throws
    {
        let h = try await Harness.start(backend, limits: Self.limits())
        defer { Task { await h.stop() } }
        try await h.members([("olga", "analysts", .owner), ("bob", "analysts", .editor)])
        let bobToken = try await h.token("bob")
        let first = Listener(h.transport.events(path: Wire.Endpoint.events.path(), token: bobToken))
        #expect(await first.wait { first.received.first?.name == "ready" })
        #expect(try await h.send("POST", "/v1/logout", nil, token: bobToken).0 == 200)
        #expect(await first.wait { first.end != nil })
        // The revoked token cannot open a new one.
        let again = Listener(h.transport.events(path: Wire.Endpoint.events.path(), token: bobToken))
        #expect(await again.wait { again.end != nil })
        #expect((again.end as? (any Error)).flatMap { $0 as? EventStreamRefused }?.status == 401)

        let second = Listener(h.transport.events(path: Wire.Endpoint.events.path(), token: try await h.token("bob")))
        #expect(await second.wait { second.received.first?.name == "ready" })
        let olga = try await h.token("olga")
        #expect(try await h.send("DELETE", "/v1/teams/analysts/members/bob", nil, token: olga).0 == 200)
        #expect(await second.wait { second.end != nil })
        try await Self.push(h, olga, Self.briefing("b-after", team: "analysts"))
        #expect(second.pokes.isEmpty)
    }
}
