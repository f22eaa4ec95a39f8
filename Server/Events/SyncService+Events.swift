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
                        guard let (userID, readable) = try await self.stillReadable(caller), readable == teams else {
                            break
                        }
                        switch event {
                        case .poke(let changed, let after):
                            let mine = changed.filter { team in readable.contains { $0.utf8.elementsEqual(team.utf8) } }
                            if mine.isEmpty { continue }
                            let text = try await self.pokes(mine, after: after, teams: readable, userID: userID)
                            try await writer.write(ByteBuffer(string: text))
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

    /// The caller's user id and the teams they may read now, or `nil` when the token no longer
    /// lets them in: the token and the memberships in one read, as ``authenticate(_:)`` takes
    /// them (this runs before every poke, on its way to the other replicas).
    func stillReadable(_ caller: Caller) async throws -> (userID: Int64, teams: [String])? {
        guard let (user, memberships) = try await store.caller(tokenHash: caller.tokenHash, now: now()) else {
            return nil
        }
        return (user.id, Authorization.readableTeams(memberships).sorted())
    }

    /// The text of one push's pokes, one per team in `changed`: each with the pull it announces
    /// when the push said where its changes start and the page is whole and small
    /// (``Wire/Events/Poke``), else the team alone. The page is what `GET /v1/pull` would answer
    /// from `after` for the caller's `teams`, read once after the push committed (a replica
    /// applies it with the first poke and finds the next ones held).
    func pokes(_ changed: [String], after: Int64?, teams: [String], userID: Int64) async throws -> String {
        var from: String? = nil
        var page = ""
        if let after {
            let read = try await store.pull(
                PullRequest(
                    after: after, limit: Wire.Events.maxPokeRecords, teams: teams, replica: "", userID: userID))
            let bytes = Wire.PullResponse.bytes(
                stored: read.records, cursor: Wire.Cursor(epoch: read.epoch, seq: read.reached).description,
                more: false, acked: [], teams: teams, total: nil)
            // One data line: a stored state holds no raw line break (JSON escapes them), but a
            // page that did would be cut in two, so it is pulled instead.
            if !read.more, !read.records.isEmpty, bytes.count <= Wire.Events.maxPokeBytes, !bytes.contains(10),
                !bytes.contains(13)
            {
                from = Wire.Cursor(epoch: read.epoch, seq: after).description
                page = "data: " + String(decoding: bytes, as: UTF8.self) + "\n"
            }
        }
        return try changed.map { team in
            "event: poke\ndata: \(try WireJSON.string(Wire.Events.Poke(team: team, from: from)))\n\(page)\n"
        }.joined()
    }
}
