import BriefSyncModel
import Foundation

extension SyncClient {
    /// What woke a watching client.
    enum WatchTrigger: Sendable {
        case connected
        case poke
        case local
        case ended((any Error)?)
    }

    /// Keeps the replica current until the task is cancelled (`brief sync --watch`).
    ///
    /// Syncs once, then holds `GET /v1/events` open: pulls on every poke, and pushes as soon as
    /// a local change is written (the outbox's mark is read every `localPoll`). When the stream
    /// ends or fails it reconnects with a doubling backoff (1 s … `maxBackoff`) and syncs again.
    /// Nothing is held in memory: the outbox is the replica's, so a dropped connection or a kill
    /// loses nothing. A refused change is reported and kept (`brief rejected`), as by `sync`.
    /// - Parameters:
    ///   - synced: called after each sync that moved something.
    ///   - problem: called when a sync or the stream fails (the watch goes on).
    public func watch(
        localPoll: Duration = .milliseconds(250), maxBackoff: Duration = .seconds(30),
        synced: @escaping @Sendable (SyncSummary) -> Void, problem: @escaping @Sendable (String) -> Void
    ) async {
        var backoff = Duration.seconds(1)
        var mark = (try? replica.outboxMark()) ?? 0
        func syncNow() async throws {
            let summary = try await sync()
            mark = (try? replica.outboxMark()) ?? mark
            if summary.pushed > 0 || summary.pulled > 0 || !summary.rejected.isEmpty { synced(summary) }
        }
        while !Task.isCancelled {
            do {
                try await syncNow()
                guard let credentials = Credentials.load(home: replica.home) else {
                    throw ClientError(.notLoggedIn, "not logged in; run 'brief login' first")
                }
                let stream = transport.events(path: Wire.Endpoint.events.path(), token: credentials.token)
                let replica = self.replica
                let start = mark
                let triggers = AsyncStream<WatchTrigger> { continuation in
                    let reader = Task {
                        do {
                            for try await event in stream {
                                continuation.yield(event.name == "ready" ? .connected : .poke)
                            }
                            continuation.yield(.ended(nil))
                        } catch {
                            continuation.yield(.ended(error))
                        }
                    }
                    let poller = Task {
                        var seen = start
                        while !Task.isCancelled {
                            try? await Task.sleep(for: localPoll)
                            if let now = try? replica.outboxMark(), now != seen {
                                seen = now
                                continuation.yield(.local)
                            }
                        }
                    }
                    continuation.onTermination = { _ in
                        reader.cancel()
                        poller.cancel()
                    }
                }
                for await trigger in triggers {
                    switch trigger {
                    case .connected:
                        backoff = .seconds(1)
                        // Changes made between the first sync and the stream opening.
                        try await syncNow()
                    case .poke:
                        try await syncNow()
                    case .local:
                        if (try? replica.outboxMark()) != mark { try await syncNow() }
                    case .ended(let error):
                        throw error ?? TransportError(description: "the server closed the event stream")
                    }
                }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                problem("\(error); retrying in \(backoff.components.seconds) s")
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, maxBackoff)
            }
        }
    }
}
