import BriefSyncClient
import BriefSyncModel
import BriefSyncServer
import Foundation
import Synchronization
import TestSupport

/// The deterministic world of one simulation: one clock and one id source for every replica and
/// the server, both driven by the seed.
final class SimulationWorld: Sendable {
    private let clock = Mutex<Int64>(1_750_000_000_000)
    private let ids: Mutex<SeededGenerator>

    init(seed: UInt64) { ids = Mutex(SeededGenerator(seed: seed ^ 0xA5A5_5A5A)) }

    func now() -> Int64 { clock.withLock { $0 } }
    func advance(_ ms: Int64) { clock.withLock { $0 += ms } }
    func newID() -> String { ids.withLock { Identifier.uuid(using: &$0) } }
}

/// Calls the server's router in process: the same routes, middleware and authentication as
/// HTTP, minus the socket.
struct InProcessTransport: SyncTransport {
    let server: String = "inproc://briefd"
    let inProcess: InProcessServer

    init(service: SyncService) { inProcess = InProcessServer(service: service) }

    func send(method: String, path: String, query: [String: String], body: Data?, token: String?) async throws -> (
        status: Int, body: Data
    ) {
        let answer = await inProcess.send(method: method, path: path, query: query, body: body, token: token)
        return (answer.status, answer.body)
    }
}

/// Injects network faults, decided by a seed: requests that never arrive, answers that are lost
/// after the server committed, and requests delivered twice.
final class FaultyTransport: SyncTransport, Sendable {
    let inner: any SyncTransport
    private let rng: Mutex<SeededGenerator>
    var server: String { inner.server }

    init(_ inner: any SyncTransport, seed: UInt64) {
        self.inner = inner
        rng = Mutex(SeededGenerator(seed: seed))
    }

    func send(method: String, path: String, query: [String: String], body: Data?, token: String?) async throws -> (
        status: Int, body: Data
    ) {
        let fate = rng.withLock { Int.random(in: 0..<100, using: &$0) }
        switch fate {
        case 0..<8:
            throw URLError(.notConnectedToInternet)
        case 8..<16:
            _ = try await inner.send(method: method, path: path, query: query, body: body, token: token)
            throw URLError(.networkConnectionLost)
        case 16..<24:
            _ = try await inner.send(method: method, path: path, query: query, body: body, token: token)
            return try await inner.send(method: method, path: path, query: query, body: body, token: token)
        default:
            return try await inner.send(method: method, path: path, query: query, body: body, token: token)
        }
    }
}
