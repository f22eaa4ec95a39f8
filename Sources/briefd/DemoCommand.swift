import ArgumentParser
import BriefSyncClient
import BriefSyncModel
import BriefSyncServer
import Foundation

/// `briefd demo` (also reached as `brief demo`): the server runs in this process and two replicas
/// play alice and bob. It lives in `briefd` so that `brief`, which starts for every command, does
/// not carry the server.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole loop: an embedded server, two analysts, offline edits, sync, merge.")

    @Flag(help: "Print the final state as JSON only.") var json = false

    func run() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "brief-demo-\(UUID().uuidString.prefix(8))")
        let data = root.appendingPathComponent("server")
        let server = try await EmbeddedServer.start(folder: data)
        let password = BearerToken.make()
        try await server.addMember("alice", password: password, team: "analysts", role: .owner)
        try await server.addMember("bob", password: password, team: "analysts", role: .editor)
        say("Started briefd on \(server.url) with team 'analysts': alice (owner), bob (editor).")

        func replica(_ name: String) async throws -> (Replica, SyncClient) {
            let r = try Replica.create(home: root.appendingPathComponent(name), name: name)
            let c = SyncClient(replica: r, transport: syncTransport(for: server.url))
            try await c.login(user: name, password: password, team: "analysts")
            return (r, c)
        }
        let (alice, aliceSync) = try await replica("alice")
        let (bob, bobSync) = try await replica("bob")

        let id = try alice.importBriefings([("demo", DemoBriefing.text)], title: DemoBriefing.title, tags: ["defence"])[
            0]
        say(
            "alice imported \"\(DemoBriefing.title)\" (\(Identifier.short(id))) and synced: \(line(try await aliceSync.sync()))"
        )
        say("bob synced: \(line(try await bobSync.sync()))")

        say("\nBoth go offline and work on the same briefing:")
        _ = try alice.annotate(
            id, quote: "face-to-face talks", note: "First in-person meeting since 2023?", kind: .question,
            tags: ["followup"])
        try alice.edit(id, section: "Key Topics", text: DemoBriefing.aliceKeyTopics)
        try alice.edit(id, section: "What to Watch Next", text: DemoBriefing.aliceWatch)
        try alice.tag(id, ["asia"])
        say("  alice: asks a question, adds a line to 'Key Topics', dates the follow-up talks, tags 'asia'")
        _ = try bob.annotate(id, quote: "keep a channel open", note: "Watch for a hotline announcement.", kind: .watch)
        try bob.edit(id, section: "Key Topics", text: DemoBriefing.bobKeyTopics)
        try bob.edit(id, section: "What to Watch Next", text: DemoBriefing.bobWatch)
        try bob.tag(id, ["priority"])
        say(
            "  bob:   adds a watch item, edits the first line of 'Key Topics', places the follow-up talks, tags 'priority'"
        )

        say("\nBack online:")
        say("  alice sync: \(line(try await aliceSync.sync()))")
        say("  bob sync:   \(line(try await bobSync.sync()))")
        say("  alice sync: \(line(try await aliceSync.sync()))")
        let key = try alice.detail(id).sections.first { $0.heading == "Key Topics" }!.text
        say("\n'Key Topics' merged cleanly (three-way, line by line): both edits are in it:\n" + indent(key))
        let open = try alice.conflicts()
        for c in open {
            say("\n'\(c.label)' clashed: both changed the same words. The record keeps \(c.current.author)'s text,")
            say("and conflict \(Identifier.short(c.id)) keeps both sides, on every replica:")
            say("  \(c.current.author): \(c.current.text.split(separator: "\n").first ?? "")")
            say("  \(c.other.author): \(c.other.text.split(separator: "\n").first ?? "")")
            let text = DemoBriefing.resolvedWatch
            try alice.resolve(c.id, .text(text))
            say("alice resolves it with a text combining both: brief resolve \(Identifier.short(c.id)) --text …")
        }
        say("  alice sync: \(line(try await aliceSync.sync()))")
        say("  bob sync:   \(line(try await bobSync.sync()))")

        let a = try alice.detail(id)
        let b = try bob.detail(id)
        guard a == b else { throw ClientError(.server, "the replicas did not converge; this is a bug") }
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try e.encode(a), as: UTF8.self))
        } else {
            say("\nBoth replicas now hold the same briefing, with no open conflict:\n")
            print(Renderer.detail(a))
            say(
                """
                Nothing was lost: both annotations and both tags survive, and every version is kept in the
                server's history ('brief log ID' shows it, 'brief revert ID --to N' brings one back).

                Explore it yourself:
                  brief show \(Identifier.short(id)) --home \(root.path)/alice
                  brief log \(Identifier.short(id)) --home \(root.path)/bob
                  briefd user list --data \(data.path)
                Data folders: \(root.path)
                """)
        }
        await server.stop()
    }

    private func say(_ text: String) {
        if !json { print(text) }
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    }

    private func line(_ s: SyncSummary) -> String {
        "pushed \(s.pushed), pulled \(s.pulled), merged \(s.merged)"
    }
}
