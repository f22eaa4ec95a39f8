import BriefSyncModel
import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle

extension SyncService {
    /// `GET /v1/events`: a Server-Sent Events stream for `caller`.
    ///
    /// Opens with `event: ready` (the teams it covers: sync once now to catch up), then an
    /// `event: poke` with `{"team": …}` whenever a push changes that team's records (but a push
    /// made with the stream's own token, whose sync pulls right after it), and a
    /// `: heartbeat` comment every `limits.heartbeat`. Before every poke and heartbeat the
    /// caller is checked again: a revoked token, a disabled user or a lost membership ends the
    /// stream (the client reconnects and is refused or gets its new teams), so no poke ever
    /// reaches someone who is not in the team. Ends when the server stops.
    func events(_ caller: Caller) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-store"
        let teams = Authorization.readableTeams(caller.memberships).sorted()
        let body = ResponseBody { writer in
            let (id, stream) = await self.events.subscribe(
                session: caller.tokenHash, heartbeat: self.limits.heartbeat)
            self.metrics?.openStreams.increment()
            defer { self.metrics?.openStreams.decrement() }
            try await withGracefulShutdownHandler {
                do {
                    let ready = try WireJSON.string(Wire.Events.Ready(teams: teams))
                    try await writer.write(ByteBuffer(string: "retry: 2000\nevent: ready\ndata: \(ready)\n\n"))
                    for await event in stream {
                        guard let readable = try await self.stillReadable(caller), readable == teams else { break }
                        switch event {
                        case .poke(let team):
                            guard readable.contains(where: { $0.utf8.elementsEqual(team.utf8) }) else { continue }
                            let data = try WireJSON.string(Wire.Events.Poke(team: team))
                            try await writer.write(ByteBuffer(string: "event: poke\ndata: \(data)\n\n"))
                        case .tick:
                            try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                        case .recheck:
                            continue
                        }
                    }
                } catch {
                    // The client went away, or the store failed: the stream ends either way.
                }
                await self.events.unsubscribe(id)
            } onGracefulShutdown: {
                Task { await self.events.unsubscribe(id) }
            }
            try? await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// The teams `caller` may read now, or `nil` when the token no longer lets them in: the
    /// token and the memberships in one read, as ``authenticate(_:)`` takes them (this runs
    /// before every poke, on its way to the other replicas).
    func stillReadable(_ caller: Caller) async throws -> [String]? {
        guard let (_, memberships) = try await store.caller(tokenHash: caller.tokenHash, now: now()) else { return nil }
        return Authorization.readableTeams(memberships).sorted()
    }
}
