import Foundation
import TestSupport
import Testing

/// Seeded randomized simulation of a team working offline with a flaky network: after everyone
/// syncs twice, every replica is identical to the server and no text anyone wrote is lost.
///
/// `swift test` runs 300 seeds; set `BRIEF_SIM_SEEDS` to run more (and `BRIEF_SIM_FIRST` to
/// start elsewhere). A failure prints the seed and the shortest program that still fails.
@Suite struct SimulationTests {
    static let groups = 10

    static var seedCount: Int {
        ProcessInfo.processInfo.environment["BRIEF_SIM_SEEDS"].flatMap(Int.init) ?? 300
    }

    static var firstSeed: UInt64 {
        ProcessInfo.processInfo.environment["BRIEF_SIM_FIRST"].flatMap(UInt64.init) ?? 1
    }

    static func simulation(seed: UInt64) -> Simulation {
        let replicas = 3 + Int(seed % 3)
        return Simulation(
            seed: seed, replicaCount: replicas,
            ops: SimulationOp.program(seed: seed, replicas: replicas, length: 24 + Int(seed % 17)))
    }

    @Test(arguments: 0..<groups)
    func replicasConvergeAndLoseNothing(group: Int) async throws {
        let perGroup = (Self.seedCount + Self.groups - 1) / Self.groups
        var stats = Simulation.Stats()
        defer { print("simulation group \(group): \(stats)") }
        for i in 0..<perGroup {
            let n = group * perGroup + i
            guard n < Self.seedCount else { break }
            let seed = Self.firstSeed + UInt64(n)
            let sim = Self.simulation(seed: seed)
            do {
                stats = stats + (try await sim.run())
            } catch {
                let shortest = await Self.shrink(sim)
                Issue.record(
                    """
                    simulation seed \(seed) failed: \(error)
                    shortest failing program (\(shortest.count) of \(sim.ops.count) steps, \(sim.replicaCount) replicas):
                    \(shortest.map { "  " + $0.description }.joined(separator: "\n"))
                    rerun: BRIEF_SIM_FIRST=\(seed) BRIEF_SIM_SEEDS=1 swift test --filter SimulationTests
                    """)
                return
            }
        }
        if perGroup >= 20 {
            // The edges were really played, not just allowed.
            #expect(stats.changesBeforeLogin > 0 && stats.lateJoins > 0, "\(stats)")
            #expect(stats.removals > 0 && stats.refused > 0, "\(stats)")
        }
    }

    /// A smaller set of seeds over real HTTP on loopback.
    @Test(arguments: [UInt64(9001), 9002, 9003])
    func convergesOverLoopbackHTTP(seed: UInt64) async throws {
        var sim = Self.simulation(seed: seed)
        sim.overHTTP = true
        try await sim.run()
    }

    /// The same simulation on PostgreSQL (30 seeds in 3 groups; the seed is in any failure).
    @Test(.enabled(if: TestBackend.postgresAdmin != nil), arguments: 0..<3)
    func replicasConvergeOnPostgres(group: Int) async throws {
        for i in 0..<10 {
            let seed = UInt64(5_000 + group * 10 + i)
            var sim = Self.simulation(seed: seed)
            sim.backend = .postgres
            do {
                try await sim.run()
            } catch {
                Issue.record(
                    "simulation seed \(seed) failed on PostgreSQL: \(error)\nrerun: swift test --filter replicasConvergeOnPostgres"
                )
                return
            }
        }
    }

    /// Drops steps one at a time while the program still fails, until no step can go.
    static func shrink(_ sim: Simulation) async -> [SimulationOp] {
        var ops = sim.ops
        var changed = true
        while changed {
            changed = false
            var i = 0
            while i < ops.count {
                var candidate = ops
                candidate.remove(at: i)
                var trial = Simulation(seed: sim.seed, replicaCount: sim.replicaCount, ops: candidate)
                trial.backend = sim.backend
                if (try? await trial.run()) == nil {
                    ops = candidate
                    changed = true
                } else {
                    i += 1
                }
            }
        }
        return ops
    }
}
