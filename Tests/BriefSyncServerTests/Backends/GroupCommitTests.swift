import BriefSyncModel
import BriefSyncPostgres
import BriefSyncServer
import Foundation
import TestSupport
import Testing

/// Group commit: pushes that arrive while a transaction runs share the next one, each in its own
/// savepoint, and nobody is answered before the commit that holds their push.
@Suite struct GroupCommitTests {
    struct Refused: Error, Equatable {}

    static let user = ServerUser(id: 1, name: "alice", disabled: false)

    static func mutation(_ id: String) -> EncodedMutation {
        EncodedMutation(Mutation(id: id, replica: "r", delta: Record(id: "x-\(id)", kind: .briefing)), now: 0)
    }

    static func outcome(_ jobs: [GroupCommit.Job]) -> [Result<PushOutcome, any Error>] {
        jobs.map {
            .success(
                PushOutcome(
                    results: $0.mutations.map { .init(id: $0.mutation.id, status: .applied, seq: 1) }, changedTeams: [],
                    conflicts: 0))
        }
    }

    /// Hands the rounds' job lists to the test and holds the first round until the test lets it go.
    actor Rounds {
        var seen: [[String]] = []
        var gate: CheckedContinuation<Void, Never>?
        var holding = true

        func record(_ jobs: [GroupCommit.Job]) async {
            seen.append(jobs.map { $0.mutations[0].mutation.id })
            if holding {
                await withCheckedContinuation { gate = $0 }
            }
        }

        func release() {
            holding = false
            gate?.resume()
            gate = nil
        }

        var started: Bool { !seen.isEmpty }
    }

    /// While the first push's transaction runs, four more arrive: they run together in the next
    /// round, and the one that fails there fails alone.
    @Test func pushesThatWaitShareTheNextRoundAndFailAlone() async throws {
        let group = GroupCommit()
        let rounds = Rounds()
        let round: GroupCommit.Round = { jobs in
            await rounds.record(jobs)
            return jobs.map { job in
                job.mutations[0].mutation.id == "m3"
                    ? .failure(Refused()) : Self.outcome([job])[0]
            }
        }
        let first = Task { try await group.push([Self.mutation("m0")], user: Self.user, now: 0, round: round) }
        while !(await rounds.started) { await Task.yield() }
        let others = (1...4).map { i in
            Task { try await group.push([Self.mutation("m\(i)")], user: Self.user, now: 0, round: round) }
        }
        while group.waiting < 4 { await Task.yield() }
        await rounds.release()
        #expect(try await first.value.results.map(\.id) == ["m0"])
        for (i, task) in others.enumerated() {
            let result = await task.result
            if i + 1 == 3 {
                #expect(throws: Refused.self) { try result.get() }
            } else {
                #expect(try result.get().results.map(\.id) == ["m\(i + 1)"])
            }
        }
        let seen = await rounds.seen
        #expect(seen.count == 2)
        #expect(seen[0] == ["m0"])
        #expect(Set(seen[1]) == ["m1", "m2", "m3", "m4"])
    }

    /// A failed commit fails every push of its round; a round holds at most `maxMutations`
    /// mutations (a larger push runs alone), so waiting pushes are split across rounds.
    @Test func aFailedCommitFailsItsRoundAndRoundsAreBounded() async throws {
        let group = GroupCommit(maxMutations: 3)
        let rounds = Rounds()
        let round: GroupCommit.Round = { jobs in
            await rounds.record(jobs)
            if jobs.contains(where: { $0.mutations[0].mutation.id == "big" }) { throw Refused() }
            return Self.outcome(jobs)
        }
        let first = Task { try await group.push([Self.mutation("m0")], user: Self.user, now: 0, round: round) }
        while !(await rounds.started) { await Task.yield() }
        let pairs = (1...3).map { i in
            Task {
                try await group.push(
                    [Self.mutation("p\(i)"), Self.mutation("p\(i)b")], user: Self.user, now: 0, round: round)
            }
        }
        while group.waiting < 3 { await Task.yield() }
        let big = Task {
            try await group.push(
                (0..<5).map { Self.mutation($0 == 0 ? "big" : "big\($0)") }, user: Self.user, now: 0, round: round)
        }
        while group.waiting < 4 { await Task.yield() }
        await rounds.release()
        _ = try await first.value
        for task in pairs { _ = try await task.value }
        await #expect(throws: Refused.self) { try await big.value }
        // Two mutations each: one pair per round (2 + 2 > 3); the push of 5 alone.
        let seen = await rounds.seen
        #expect(seen.count == 5)
        #expect(seen.dropFirst().allSatisfy { $0.count == 1 })
        #expect(seen.last == ["big"])
    }

    /// A round that answers fewer pushes than it took still answers every push (with an error
    /// saying to send it again) instead of leaving one waiting for ever.
    @Test func everyPushIsAnsweredEvenIfARoundMiscounts() async throws {
        let group = GroupCommit()
        let round: GroupCommit.Round = { _ in [] }
        await #expect(throws: StoreError.self) {
            try await group.push([Self.mutation("m0")], user: Self.user, now: 0, round: round)
        }
    }

    /// With group commit off (`--no-group-commit`, the benchmark's baseline) a push is its own
    /// transaction and lands the same way.
    @Test func withoutGroupCommitAPushIsItsOwnTransaction() async throws {
        let dir = TemporaryDirectory("group-commit-off")
        defer { dir.remove() }
        let store = try SQLiteSyncStore(folder: dir.file("server"), groupCommit: false)
        #expect(store.groupCommit == nil)
        let alice = try await store.addUser(name: "alice", passwordHash: "x", now: 0)
        try await store.addTeam(name: "analysts", now: 0)
        try await store.setMember(team: "analysts", user: "alice", role: .editor)
        var delta = Record(id: "b1", kind: .briefing)
        let stamp = Stamp(physical: 1_780_000_000_000, counter: 0, replica: "r1")
        delta.set(Briefing.Field.title, .string("Talks"), at: stamp)
        delta.set(Briefing.Field.team, .string("analysts"), at: stamp)
        let outcome = try await store.push(
            [Mutation(id: "m1", replica: "r1", delta: delta)], user: alice, now: 1_780_000_000_000)
        #expect(outcome.results.map(\.status) == [.applied])
        #expect(outcome.results.map(\.seq) == [1])
    }

    /// A savepoint's failure undoes only what it wrote; the transaction goes on and commits the rest.
    @Test(arguments: TestBackend.all) func aSavepointUndoesOnlyItsOwnWrites(_ backend: TestBackend) async throws {
        let dir = TemporaryDirectory("group-commit")
        defer { dir.remove() }
        let stored = try await backend.makeStore(folder: dir.file("server"))
        defer { Task { await stored.drop() } }
        if let sqlite = stored.store as? SQLiteSyncStore {
            try await Self.savepoints(sqlite)
        } else if let postgres = stored.store as? PostgresSyncStore {
            try await Self.savepoints(postgres)
        } else {
            Issue.record("unknown backend")
        }
    }

    static func savepoints<S: RowStore>(_ store: S) async throws {
        try await store.write { tx in
            try tx.setMeta("before", "1")
            var refused = false
            do {
                try tx.savepoint {
                    try tx.setMeta("failed", "1")
                    throw Refused()
                }
            } catch is Refused {
                refused = true
            }
            #expect(refused)
            try tx.savepoint { try tx.setMeta("kept", "1") }
        }
        let values = try await store.read { tx in
            [try tx.meta("before"), try tx.meta("failed"), try tx.meta("kept")]
        }
        #expect(values == ["1", nil, "1"])
    }
}
