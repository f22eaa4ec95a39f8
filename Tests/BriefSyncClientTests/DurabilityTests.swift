import BriefSyncModel
import Foundation
import GRDB
import TestSupport
import Testing

@testable import BriefSyncClient

/// Every commit of a replica is durable when it returns: `synchronous=FULL` on the connection
/// that writes.
@Suite struct DurabilityTests {
    @Test func theReplicaWritesWithSynchronousFull() throws {
        let dir = TemporaryDirectory("durability")
        defer { dir.remove() }
        let created = try Replica.create(home: dir.url, name: "alice")
        let opened = try Replica.open(home: dir.url)
        // 2 = FULL (0 OFF, 1 NORMAL).
        for replica in [created, opened] {
            #expect(try replica.pool.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
        }
    }
}
