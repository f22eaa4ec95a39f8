import Foundation
import GRDB
import Synchronization
import TestSupport
import Testing

/// Server-side backups through the built binaries: `briefd backup`, `backup verify`, `restore`,
/// scheduled backups, and what a backup taken under load holds.
@Suite struct BackupCLITests {
    static let briefing = """
        Talks resume
        Agenda
        Hello world. The talks resume in May.
        Logistics
        Second section.
        """

    static func briefd(_ args: [String]) throws -> ProcessRunner.Result { try ProcessRunner.run("briefd", args) }

    /// A backup taken while three members keep annotating and syncing holds exactly the
    /// changes committed before its snapshot point: every version up to its highest sequence
    /// number, each record as it was then, and nothing after.
    @Test func backupDuringConcurrentPushesHoldsExactlyTheCommittedPrefix() throws {
        let members = ["ann", "ben", "cat"]
        let team = try TeamFixture("e2e-backup-load", members: members.map { ($0, "editor") })
        defer { team.remove() }
        let server = try ServerProcess.start(data: team.data)
        var stopped = false
        defer { if !stopped { server.stop() } }
        for m in members { #expect(try team.join(m, server: server.url).status == 0) }
        let id = try team.brief("ann", ["import", team.dir.write("b.txt", Self.briefing)]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try team.brief("ann", ["sync"]).status == 0)
        for m in members.dropFirst() { #expect(try team.brief(m, ["sync"]).status == 0) }

        let progress = Progress()
        // Real threads: the pushers block on child processes, which must not starve the backup.
        let done = DispatchGroup()
        for m in members {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                var round = 0
                // Until at least four more syncs have committed after the backup finished.
                while true {
                    let mark = progress.backupDone.load(ordering: .acquiring)
                    if mark >= 0, progress.syncs.load(ordering: .acquiring) >= mark + 4 { break }
                    round += 1
                    _ = try? team.brief(m, ["annotate", id, "--quote", "talks", "--note", "\(m) \(round)"])
                    if round % 3 == 0 {
                        let text = "Hello world. The talks resume in May, says \(m) \(round)."
                        _ = try? team.brief(m, ["edit", id, "--section", "agenda", "--text", text])
                    }
                    let r = try? team.brief(m, ["sync"])
                    if r?.status != 0 { progress.failures.add(1, ordering: .relaxed) }
                    progress.syncs.add(1, ordering: .acquiringAndReleasing)
                }
            }
        }
        while progress.syncs.load(ordering: .acquiring) < 4 { usleep(1000) }
        let r = try Self.briefd(["backup", "--data", team.data, "--to", team.dir.file("load.backup").path])
        #expect(r.status == 0, "\(r.stderr)")
        progress.backupDone.store(progress.syncs.load(ordering: .acquiring), ordering: .releasing)
        done.wait()
        #expect(progress.failures.load(ordering: .relaxed) == 0)
        server.stop()
        stopped = true

        let restored = team.dir.file("restored").path
        let restore = try Self.briefd(["restore", "--from", team.dir.file("load.backup").path, "--data", restored])
        #expect(restore.status == 0, "\(restore.stderr)")
        try Self.expectPrefix(live: team.data, restored: restored)
    }

    /// The restored folder holds exactly the live folder's changes up to the backup's highest
    /// sequence number.
    static func expectPrefix(live liveFolder: String, restored: String) throws {
        let live = try DatabaseQueue(path: liveFolder + "/briefd.sqlite")
        let back = try DatabaseQueue(path: restored + "/briefd.sqlite")
        let snapshot = try back.read {
            try Int64.fetchOne($0, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'") ?? 0
        }
        let final = try live.read {
            try Int64.fetchOne($0, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'") ?? 0
        }
        #expect(snapshot > 1, "the backup was taken while pushes went on")
        #expect(final > snapshot, "pushes went on after the backup")

        let versionsSQL = "SELECT record_id, seq, mutation, state FROM versions WHERE seq <= ? ORDER BY seq, record_id"
        let liveVersions = try live.read { try Row.fetchAll($0, sql: versionsSQL, arguments: [snapshot]) }
        let backVersions = try back.read { try Row.fetchAll($0, sql: versionsSQL, arguments: [Int64.max]) }
        #expect(backVersions == liveVersions)
        let mutationsSQL = "SELECT id, seq, body FROM mutations WHERE status = 'applied' AND seq <= ? ORDER BY id"
        #expect(
            try back.read { try Row.fetchAll($0, sql: mutationsSQL, arguments: [Int64.max]) }
                == (try live.read { try Row.fetchAll($0, sql: mutationsSQL, arguments: [snapshot]) }))
        // Each record exactly as its last version before the snapshot point: no torn record.
        let records = try back.read { try Row.fetchAll($0, sql: "SELECT id, seq, state FROM records ORDER BY id") }
        let expected = try live.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT v.record_id AS id, v.seq, v.state FROM versions v
                    WHERE v.seq = (SELECT max(seq) FROM versions WHERE record_id = v.record_id AND seq <= ?)
                    ORDER BY v.record_id
                    """, arguments: [snapshot])
        }
        #expect(records.count == expected.count)
        #expect(records == expected)
    }

    /// `backup verify` finds a change to any one byte: in the header, the manifest or the data.
    @Test func verifyDetectsAFlippedByte() throws {
        let team = try TeamFixture("e2e-backup-flip", members: [("ann", "editor")])
        defer { team.remove() }
        let file = team.dir.file("b.backup").path
        #expect(try Self.briefd(["backup", "--data", team.data, "--to", file]).status == 0)
        let ok = try Self.briefd(["backup", "verify", file])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.hasPrefix("OK: Backup"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        let newline = bytes.firstIndex(of: UInt8(ascii: "\n"))!
        for offset in [0, 30, newline + 5, newline + 60, bytes.count / 2, bytes.count - 1] {
            var flipped = bytes
            flipped[offset] ^= 0x01
            let copy = team.dir.file("flipped-\(offset).backup")
            try flipped.write(to: copy)
            let r = try Self.briefd(["backup", "verify", copy.path])
            #expect(r.status == 1, "offset \(offset) went unnoticed: \(r.stdout)")
            #expect(r.stderr.contains("damaged") || r.stderr.contains("not a briefd backup"), "\(r.stderr)")
            // A damaged backup is never restored.
            let into = team.dir.file("into-\(offset)").path
            #expect(try Self.briefd(["restore", "--from", copy.path, "--data", into]).status == 1)
            #expect(!FileManager.default.fileExists(atPath: into + "/briefd.sqlite"))
        }
    }

    /// `restore` never overwrites data silently, and never under a running server.
    @Test func restoreRefusesToOverwrite() throws {
        let team = try TeamFixture("e2e-restore-refuse", members: [("ann", "editor")])
        defer { team.remove() }
        let file = team.dir.file("b.backup").path
        #expect(try Self.briefd(["backup", "--data", team.data, "--to", file]).status == 0)
        let again = try Self.briefd(["backup", "--data", team.data, "--to", file])
        #expect(again.status == 1)
        #expect(again.stderr.contains("exists"))
        let database = URL(fileURLWithPath: team.data + "/briefd.sqlite")
        let before = try Data(contentsOf: database)

        let refused = try Self.briefd(["restore", "--from", file, "--data", team.data])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(try Data(contentsOf: database) == before)

        let other = team.dir.file("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        _ = team.dir.write("other/notes.txt", "not a data folder")
        let notEmpty = try Self.briefd(["restore", "--from", file, "--data", other.path])
        #expect(notEmpty.status == 1)
        #expect(notEmpty.stderr.contains("is not empty") && notEmpty.stderr.contains("--force"), "\(notEmpty.stderr)")
        #expect(!FileManager.default.fileExists(atPath: other.path + "/briefd.sqlite"))

        let server = try ServerProcess.start(data: team.data)
        let busy = try Self.briefd(["restore", "--from", file, "--data", team.data, "--force"])
        server.stop()
        #expect(busy.status == 1)
        #expect(busy.stderr.contains("stop it first"), "\(busy.stderr)")

        let forced = try Self.briefd(["restore", "--from", file, "--data", team.data, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        for name in ["briefd.sqlite", "briefd.lock"] {
            let mode = try FileManager.default.attributesOfItem(atPath: team.data + "/" + name)[.posixPermissions]
            #expect(mode as? Int == 0o600, "\(name)")
        }
        #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600)
        let kept = try FileManager.default.contentsOfDirectory(atPath: team.data).filter { $0.hasPrefix("replaced-") }
        #expect(kept.count == 1)
        #expect(FileManager.default.fileExists(atPath: team.data + "/" + kept[0] + "/briefd.sqlite"))
        // The database the admin commands made at the start: 0600 too.
        let first = try FileManager.default.attributesOfItem(atPath: team.data + "/" + kept[0] + "/briefd.sqlite")
        #expect(first[.posixPermissions] as? Int == 0o600)
        let users = try Self.briefd(["user", "list", "--data", team.data])
        #expect(users.stdout == "ann\n")
    }

    /// `serve --backup-dir D --backup-every 1s --backup-keep 2`: backups are written, verified
    /// and rotated; `/healthz` shows the last one.
    @Test func scheduledBackupsRotateAndVerify() async throws {
        let team = try TeamFixture("e2e-backup-schedule", members: [("ann", "editor")])
        defer { team.remove() }
        let folder = team.dir.file("backups").path
        let server = try ServerProcess.start(
            data: team.data, extra: ["--backup-dir", folder, "--backup-every", "1s", "--backup-keep", "2"])
        defer { server.stop() }
        // The fourth backup (the server takes one a second); a hung schedule fails here.
        let report = try await Self.backupReport(server) { ($0["taken"] as? Int ?? 0) >= 4 }
        #expect((report["taken"] as? Int ?? 0) >= 4, "\(report)")
        #expect(report["ok"] as? Bool == true)
        // Stopped first: the schedule keeps writing and rotating while it runs, and a stop lets the
        // backup under way finish.
        server.stop()
        let all = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(all.allSatisfy { !$0.hasSuffix(".partial") }, "a stop finishes the backup under way: \(all)")
        let files = all.filter { $0.hasSuffix(".backup") }.sorted()
        #expect(files.count == 2, "\(files)")
        #expect(files.last! >= (report["lastFile"] as? String ?? "~"), "the newest backup is kept")
        for f in files {
            let r = try Self.briefd(["backup", "verify", folder + "/" + f])
            #expect(r.status == 0, "\(r.stderr)")
        }
    }

    /// `/healthz`'s `backup` once `done` holds of it (polled for up to a minute).
    static func backupReport(_ server: ServerProcess, until done: ([String: Any]) -> Bool) async throws
        -> [String: Any]
    {
        var report: [String: Any] = [:]
        for _ in 0..<600 {
            let answer = try await HTTPProbe.send("GET", server.url + "/healthz")
            let health = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any] ?? [:]
            report = health["backup"] as? [String: Any] ?? [:]
            if done(report) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return report
    }

    /// A scheduled backup that cannot be written shows as failed in `/healthz`, with the reason.
    @Test func aFailingScheduledBackupShowsInHealthz() async throws {
        let team = try TeamFixture("e2e-backup-fail", members: [("ann", "editor")])
        defer { team.remove() }
        let notAFolder = team.dir.write("not-a-folder", "a file where the backups should go")
        let server = try ServerProcess.start(
            data: team.data, extra: ["--backup-dir", notAFolder, "--backup-every", "1s"])
        defer { server.stop() }
        let report = try await Self.backupReport(server) { $0["ok"] != nil }
        #expect(report["ok"] as? Bool == false, "\(report)")
        #expect(report["taken"] as? Int == 0)
        #expect((report["lastError"] as? String ?? "").contains(notAFolder), "\(report)")
    }
}

/// Counters shared by the pushers and the backup of the load test.
final class Progress: Sendable {
    /// Syncs that finished.
    let syncs = Atomic<Int>(0)
    /// The number of syncs when the backup finished (-1 before).
    let backupDone = Atomic<Int>(-1)
    /// Syncs that did not exit 0.
    let failures = Atomic<Int>(0)
}
