import Foundation
import TestSupport
import Testing

/// Commands that only read open the replica read-only: no write lock, no journal set-up, no
/// checkpoint on close. The replica file is left byte for byte as it was (a read-write open
/// writes a transaction to make its journal and checkpoints it on close: four fdatasyncs).
@Suite struct ReadOnlyCLITests {
    @Test func readingCommandsLeaveTheReplicaUntouched() throws {
        let dir = TemporaryDirectory("read-only")
        defer { dir.remove() }
        let home = dir.file("h").path
        func brief(_ args: [String]) throws -> ProcessRunner.Result {
            try ProcessRunner.run("brief", args + ["--home", home])
        }
        #expect(try brief(["init", "--name", "a"]).status == 0)
        let id = try brief(["import", dir.write("p.txt", Samples.plain)]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try brief(["annotate", id, "--quote", "grain corridor", "--note", "insurers"]).status == 0)
        let file = home + "/replica.sqlite"
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        let reads: [[String]] = [
            ["status"], ["list"], ["show", id], ["search", "insurers"], ["annotations"], ["conflicts"], ["rejected"],
            ["export", id], ["orphans"],
        ]
        for args in reads {
            let r = try brief(args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before, "\(args) changed the replica")
        }
        #expect(try brief(["search", "insurers"]).stdout.contains("insurers"))
        // A change still writes, and the next read sees it.
        #expect(try brief(["annotate", id, "--quote", "grain corridor", "--note", "second"]).status == 0)
        #expect(try brief(["search", "second"]).stdout.contains("second"))
    }
}
