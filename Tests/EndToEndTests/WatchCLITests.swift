import Foundation
import TestSupport
import Testing

/// `brief sync --watch` through the binaries: two replicas stay current with no manual sync,
/// across a server restart, and stop cleanly on SIGTERM.
@Suite struct WatchCLITests {

    @Test func twoWatchingReplicasConvergeWithoutAManualSync() throws {
        let team = try TeamFixture("e2e-watch", members: [("ann", "editor"), ("ben", "editor")])
        defer { team.remove() }
        var server = try ServerProcess.start(data: team.data)
        let port = server.port
        defer { server.stop() }
        for who in ["ann", "ben"] {
            let joined = try team.join(who, server: server.url, team: "analysts")
            #expect(joined.status == 0, "\(joined.stderr)")
        }
        #expect(try team.importTalks("ann").status == 0)
        let annWatch = try ProcessRunner.start("brief", ["sync", "--watch", "--home", team.home("ann")])
        let benWatch = try ProcessRunner.start("brief", ["sync", "--watch", "--home", team.home("ben")])
        func briefingID(_ who: String) throws -> String? {
            let list = try team.brief(who, ["list", "--json"])
            return (try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])?.first?["id"]
                as? String
        }
        // Ann's import (made before the watch started) reaches Ben.
        #expect(try eventually { try briefingID("ben") != nil })
        let id = try #require(try briefingID("ben"))
        // A note written on Ben's replica shows on Ann's.
        #expect(try team.brief("ben", ["annotate", id, "--quote", "grain", "--note", "first note"]).status == 0)
        #expect(try eventually { try team.brief("ann", ["show", id]).stdout.contains("first note") })

        // The server goes away; Ann writes meanwhile; it comes back on the same port.
        server.stop()
        #expect(
            try team.brief("ann", ["annotate", id, "--quote", "Shipping", "--note", "written offline"]).status == 0)
        server = try ServerProcess.start(data: team.data, port: port)
        #expect(try eventually(40) { try team.brief("ben", ["show", id]).stdout.contains("written offline") })
        #expect(try team.brief("ann", ["status", "--json"]).stdout.contains(#""pending" : 0"#))

        for watcher in [annWatch, benWatch] { watcher.process.terminate() }
        let ann = try #require(try annWatch.finish())
        let ben = try #require(try benWatch.finish())
        #expect(ann.status == 0 && ben.status == 0, "\(ann.stderr) \(ben.stderr)")
        #expect(ann.stdout.contains("Pushed 1,"), "\(ann.stdout)")
        #expect(ben.stderr.contains("retrying in"), "the drop was reported: \(ben.stderr)")
    }
}
