import BriefSyncModel
import Foundation

extension SyncClient {
    /// What woke a watching client.
    enum WatchTrigger: Sendable {
        case connected
        /// A poke, with its event's data (which may carry the pull: ``applyPoke(_:)``).
        case poke(String)
        case local
        case ended((any Error)?)
    }

    /// Keeps the replica current until the task is cancelled (`brief sync --watch`).
    ///
    /// Syncs once, then holds `GET /v1/events` open: on every poke applies the pull it carries, or
    /// pulls (``applyPoke(_:)``), and pushes as soon as
    /// a local change is written (the outbox's mark is read whenever a file in the replica's
    /// folder is written — ``FolderWrites`` — and every `localPoll` besides, for systems
    /// without it and writers that keep their connection open). When the stream
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
            // Read before the sync: a change written while it runs must still differ from the mark.
            let before = (try? replica.outboxMark()) ?? mark
            let summary = try await sync()
            mark = before
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
                                continuation.yield(event.name == "ready" ? .connected : .poke(event.data))
                            }
                            continuation.yield(.ended(nil))
                        } catch {
                            continuation.yield(.ended(error))
                        }
                    }
                    let wakes = Self.localWakes(folder: replica.home, poll: localPoll)
                    let poller = Task {
                        var seen = start
                        for await _ in wakes {
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
                    case .poke(let data):
                        switch try applyPoke(data) {
                        case .applied(let summary):
                            if summary.pulled > 0 || summary.merged > 0 || !summary.conflicts.isEmpty {
                                synced(summary)
                            }
                        case .current:
                            break
                        case .pull:
                            try await syncNow()
                        }
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

    /// When to look at the outbox again: on every write in `folder` (where the system can
    /// say), shortly after it, and every `poll`; ends when its consumer stops.
    ///
    /// A write can wake the watcher before the commit it belongs to is visible: SQLite writes a
    /// commit's last WAL frame, then syncs it, then updates the index readers consult, and only
    /// the write is announced. A `brief` command's exit announces itself (its files close), but
    /// a writer that stays open does not, so each wake is followed by three more looks (5, 30
    /// and 155 ms after it).
    static func localWakes(folder: URL, poll: Duration) -> AsyncStream<Void> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let writes = FolderWrites.wakes(folder)
            let relay = Task {
                guard let writes else { return }
                var settle: Task<Void, Never>? = nil
                for await _ in writes {
                    continuation.yield()
                    settle?.cancel()
                    settle = Task {
                        for delay in [5, 25, 125] {
                            try? await Task.sleep(for: .milliseconds(delay))
                            if Task.isCancelled { return }
                            continuation.yield()
                        }
                    }
                }
                settle?.cancel()
            }
            let ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: poll)
                    continuation.yield()
                }
            }
            continuation.onTermination = { _ in
                relay.cancel()
                ticker.cancel()
            }
        }
    }
}
