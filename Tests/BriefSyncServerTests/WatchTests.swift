import BriefSyncClient
import BriefSyncModel
import Foundation
import TestSupport
import Testing

/// `SyncClient.watch` against a real briefd: a change another process commits to the replica is
/// pushed without waiting for the watcher's poll, even when it lands while a sync is running.
@Suite struct WatchTests {
    /// A real transport that, once, writes a change to the replica while the watcher's sync
    /// after its `pushes`-th push is pulling (as a `brief` command run at that moment would).
    final class WritingDuringAPull: SyncTransport, @unchecked Sendable {
        let inner: CurlTransport
        let pushes: Int
        let write: @Sendable () throws -> Void
        private let lock = NSLock()
        private var seen = 0
        private var written = false

        init(_ inner: CurlTransport, afterPush pushes: Int, write: @escaping @Sendable () throws -> Void) {
            self.inner = inner
            self.pushes = pushes
            self.write = write
        }

        var server: String { inner.server }

        func send(method: String, path: String, query: [String: String], body: Data?, token: String?) async throws
            -> (status: Int, body: Data)
        {
            let due = lock.withLock { () -> Bool in
                if path == Wire.Endpoint.push.path() { seen += 1 }
                guard path == Wire.Endpoint.pull.path(), seen == pushes, !written else { return false }
                written = true
                return true
            }
            if due { try write() }
            return try await inner.send(method: method, path: path, query: query, body: body, token: token)
        }

        func events(path: String, token: String) -> AsyncThrowingStream<Wire.ServerEvent, any Error> {
            inner.events(path: path, token: token)
        }
    }

    /// The watcher polls once an hour here, so only a wake on a write in the replica's folder
    /// can push the third change: the first sync and the one after the stream opens can each
    /// carry one, and the server does not poke a stream about its own token's pushes. The fourth
    /// is written while the third's sync pulls: the watcher must not take it for pushed. Each
    /// change is written through a second handle on the replica's file.
    @Test func changesWrittenByAnotherProcessArePushedWithoutWaitingForThePoll() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        try await h.members([("ann", "analysts", .editor)])
        let (replica, _) = try await h.replica("ann")
        let writer = try Replica.open(home: replica.home)
        let transport = WritingDuringAPull(h.transport, afterPush: 3) {
            _ = try writer.importBriefings([("b4", "Briefing 4\n\nWritten during a pull.\n")])
        }
        let client = SyncClient(replica: replica, transport: transport)
        let (summaries, sink) = AsyncStream<SyncSummary>.makeStream()
        let watcher = Task {
            await client.watch(
                localPoll: .seconds(3600), synced: { sink.yield($0) }, problem: { Issue.record("watch: \($0)") })
        }
        // A guard against hanging, not a measure: a change left unpushed fails the test.
        let guardTask = Task {
            try? await Task.sleep(for: .seconds(60))
            sink.finish()
        }
        defer {
            watcher.cancel()
            guardTask.cancel()
        }
        var next = summaries.makeAsyncIterator()
        for i in 1...3 {
            _ = try writer.importBriefings([("b\(i)", "Briefing \(i)\n\nShipping lanes and grain.\n")])
            #expect(await next.next()?.pushed == 1, "change \(i)")
        }
        #expect(await next.next()?.pushed == 1, "the change written during a pull")
        #expect(try replica.status().pending == 0)
    }

    /// A real transport that reports each finished pull and the stream's first event.
    final class Counting: SyncTransport, @unchecked Sendable {
        let inner: CurlTransport
        let pulls: AsyncStream<Void>.Continuation
        let ready: AsyncStream<Void>.Continuation
        private let lock = NSLock()
        private var pulled = 0
        var pullCount: Int { lock.withLock { pulled } }

        init(_ inner: CurlTransport, pulls: AsyncStream<Void>.Continuation, ready: AsyncStream<Void>.Continuation) {
            (self.inner, self.pulls, self.ready) = (inner, pulls, ready)
        }

        var server: String { inner.server }

        func send(method: String, path: String, query: [String: String], body: Data?, token: String?) async throws
            -> (status: Int, body: Data)
        {
            let answer = try await inner.send(method: method, path: path, query: query, body: body, token: token)
            if path == Wire.Endpoint.pull.path() {
                lock.withLock { pulled += 1 }
                pulls.yield()
            }
            return answer
        }

        func events(path: String, token: String) -> AsyncThrowingStream<Wire.ServerEvent, any Error> {
            let (inner, ready) = (self.inner, self.ready)
            return AsyncThrowingStream { continuation in
                let relay = Task {
                    do {
                        for try await event in inner.events(path: path, token: token) {
                            continuation.yield(event)
                            if event.name == "ready" { ready.yield() }
                        }
                        continuation.finish()
                    } catch {
                        continuation.finish(throwing: error)
                    }
                }
                continuation.onTermination = { _ in relay.cancel() }
            }
        }
    }

    /// A poke carries the pull its watcher would make: once bob's watcher has synced and synced
    /// again on the stream's opening, ann's new briefing reaches bob's replica with no pull of
    /// his — the poke's page is applied in one transaction with its cursor, which then stands
    /// where a pull would have left it (a sync after it pulls nothing).
    @Test func aPokeCarriesThePullItAnnounces() async throws {
        let h = try await Harness.start()
        defer { Task { await h.stop() } }
        try await h.members([("ann", "analysts", .editor), ("bob", "analysts", .editor)])
        let (_, ann) = try await h.replica("ann")
        let (bobReplica, _) = try await h.replica("bob")
        let (pulls, pulled) = AsyncStream<Void>.makeStream()
        let (ready, opened) = AsyncStream<Void>.makeStream()
        let transport = Counting(h.transport, pulls: pulled, ready: opened)
        let bob = SyncClient(replica: bobReplica, transport: transport)
        let (summaries, sink) = AsyncStream<SyncSummary>.makeStream()
        let watcher = Task {
            await bob.watch(
                localPoll: .seconds(3600), synced: { sink.yield($0) }, problem: { Issue.record("watch: \($0)") })
        }
        // A guard against hanging, not a measure.
        let guardTask = Task {
            try? await Task.sleep(for: .seconds(60))
            sink.finish()
            pulled.finish()
            opened.finish()
        }
        defer {
            watcher.cancel()
            guardTask.cancel()
        }
        var pullsDone = pulls.makeAsyncIterator()
        var readyIterator = ready.makeAsyncIterator()
        _ = await pullsDone.next()  // the first sync
        _ = await readyIterator.next()
        _ = await pullsDone.next()  // the sync on the stream's opening
        #expect(transport.pullCount == 2)

        _ = try ann.replica.importBriefings([("grain", "Grain corridor\n\nShipping lanes and grain.\n")])
        #expect(try await ann.sync().pushed == 1)
        var next = summaries.makeAsyncIterator()
        let summary = await next.next()
        #expect(summary?.pulled == 1 && summary?.pushed == 0)
        #expect(try bobReplica.list().map(\.title) == ["Grain corridor"])
        #expect(transport.pullCount == 2)
        // The cursor is where a pull would have left it: the next sync brings nothing.
        #expect(try await bob.sync().pulled == 0)
    }
}
