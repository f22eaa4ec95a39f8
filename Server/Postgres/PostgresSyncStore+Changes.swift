import BriefSyncModel
import BriefSyncServer
import Foundation
import Logging
import PostgresNIO

/// What a push announces on the `briefd_changes` channel.
struct ChangeNotice: Codable {
    /// The announcing store (so it ignores its own notices).
    var server: String
    var teams: [String]
}

extension PostgresTransaction {
    public func announce(teams: [String]) throws {
        // NOTIFY payloads are limited to 8000 bytes: announce in chunks.
        var chunk: [String] = []
        var size = 0
        func send() throws {
            guard !chunk.isEmpty else { return }
            let payload = try WireJSON.string(ChangeNotice(server: instance, teams: chunk))
            try run("SELECT pg_notify('briefd_changes', \(payload))")
            chunk = []
            size = 0
        }
        for team in teams {
            if size + team.utf8.count > 6_000 { try send() }
            chunk.append(team)
            size += team.utf8.count + 4
        }
        try send()
    }
}

extension PostgresSyncStore {
    /// Teams other servers changed, from `LISTEN briefd_changes` on a connection of the pool,
    /// reconnecting after a failure (a missed notice costs only latency: heartbeats still let
    /// clients re-check, and their next sync pulls everything).
    public func changesFromOtherServers() -> AsyncStream<[String]>? {
        let (stream, continuation) = AsyncStream<[String]>.makeStream(bufferingPolicy: .bufferingNewest(1_024))
        let client = self.client
        let logger = self.logger
        let instance = self.instance
        let runner = self.runner
        let task = Task {
            // Until the store closes (its pool stops) or nobody listens.
            while !Task.isCancelled, !runner.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: "briefd_changes") { notifications in
                            for try await notification in notifications {
                                guard
                                    let notice = try? WireJSON.decode(
                                        ChangeNotice.self, from: Data(notification.payload.utf8)),
                                    notice.server != instance, notice.teams.count <= 10_000
                                else { continue }
                                continuation.yield(notice.teams)
                            }
                        }
                    }
                } catch {
                    if runner.isCancelled { break }
                    logger.warning("change notifications interrupted; listening again", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
