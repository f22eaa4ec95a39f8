import BriefSyncModel
import Synchronization

/// Group commit: pushes that arrive while a write transaction is running wait, then run together
/// in the next one — each inside its own savepoint, so one push's failure undoes only that push —
/// and share its commit and its fsync. Nobody's answer leaves before the commit that holds it.
///
/// With `synchronous=FULL` every commit is an fsync; a server taking one push per transaction
/// pays one per push, which is the writer's limit wherever fsync costs milliseconds (on the
/// benchmark machine it costs ~0.4 ms, and CPU limits first). Here the first push to find the writer
/// idle leads: it drains the queue in rounds until it is empty, and every round is one
/// transaction. A round takes at most ``maxMutations`` mutations, so one commit's latency stays
/// bounded however many clients wait.
public final class GroupCommit: Sendable {
    /// One waiting push.
    package struct Job: Sendable {
        package let mutations: [EncodedMutation]
        /// The epoch the push's bases come from, when it names one (checked in the round).
        package let epoch: String?
        package let user: ServerUser
        package let now: Int64
        let answer: CheckedContinuation<PushOutcome, any Error>
    }

    /// Runs a round: one transaction holding every job, answering each (``Result``) in order. A
    /// thrown error (the commit failed) fails every job of the round.
    package typealias Round = @Sendable ([Job]) async throws -> [Result<PushOutcome, any Error>]

    private struct State {
        var waiting: [Job] = []
        var leading = false
    }

    private let state = Mutex(State())
    /// Mutations per transaction at most (a single larger push still runs, alone).
    let maxMutations: Int

    /// How many pushes wait for the next round (for tests).
    package var waiting: Int { state.withLock { $0.waiting.count } }

    package init(maxMutations: Int = 2_000) {
        self.maxMutations = maxMutations
    }

    /// Queues a push and returns its outcome once the transaction holding it has committed.
    package func push(
        _ mutations: [EncodedMutation], epoch: String? = nil, user: ServerUser, now: Int64, round: @escaping Round
    ) async throws -> PushOutcome {
        try await withCheckedThrowingContinuation { answer in
            let lead = state.withLock { s in
                s.waiting.append(Job(mutations: mutations, epoch: epoch, user: user, now: now, answer: answer))
                defer { s.leading = true }
                return !s.leading
            }
            if lead { Task { await self.drain(round) } }
        }
    }

    /// Runs rounds until nobody waits, then lets the next push lead.
    private func drain(_ round: Round) async {
        while true {
            let jobs = state.withLock { s -> [Job] in
                var count = 0
                var taken = 0
                while taken < s.waiting.count, taken == 0 || count + s.waiting[taken].mutations.count <= maxMutations {
                    count += s.waiting[taken].mutations.count
                    taken += 1
                }
                let jobs = Array(s.waiting.prefix(taken))
                s.waiting.removeFirst(taken)
                if jobs.isEmpty { s.leading = false }
                return jobs
            }
            if jobs.isEmpty { return }
            do {
                let results = try await round(jobs)
                for (i, job) in jobs.enumerated() {
                    // Every waiting push is answered exactly once, even if a round miscounts.
                    // A replayed push gets its first answer, so sending it again is safe.
                    job.answer.resume(
                        with: i < results.count
                            ? results[i]
                            : .failure(StoreError(.unavailable, "the server lost this push's answer; send it again")))
                }
            } catch {
                for job in jobs { job.answer.resume(throwing: error) }
            }
        }
    }
}
