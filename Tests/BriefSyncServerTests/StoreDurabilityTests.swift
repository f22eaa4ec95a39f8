import Foundation
import GRDB
import TestSupport
import Testing

@testable import BriefSyncServer

/// The embedded store acknowledges a push only after its commit is durable: `synchronous=FULL`
/// on the connection that writes, from the first open and on every later one.
@Suite struct StoreDurabilityTests {
    @Test func theEmbeddedStoreWritesWithSynchronousFull() throws {
        let dir = TemporaryDirectory("store-durability")
        defer { dir.remove() }
        for _ in 0..<2 {
            let store = try SQLiteSyncStore(folder: dir.url)
            // 2 = FULL (0 OFF, 1 NORMAL).
            #expect(try store.pool.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
        }
    }
}
