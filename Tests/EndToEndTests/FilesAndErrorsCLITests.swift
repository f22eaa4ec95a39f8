import Foundation
import GRDB
import TestSupport
import Testing

/// Files and errors a person meets: modes of secret files, damaged replicas, unusable data
/// folders, plain http to another machine. Clear words, non-zero exit, nothing changed.
@Suite struct FilesAndErrorsCLITests {
    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func theReplicaIsPrivateFromTheFirstByte() throws {
        let dir = TemporaryDirectory("files-mode")
        defer { dir.remove() }
        let home = dir.file("h").path
        #expect(try ProcessRunner.run("brief", ["init", "--name", "a", "--home", home]).status == 0)
        #expect(try mode(home + "/replica.sqlite") == 0o600)
        // A replica made world-readable (older versions did) is made private when opened.
        chmod(home + "/replica.sqlite", 0o644)
        #expect(try ProcessRunner.run("brief", ["status", "--home", home]).status == 0)
        #expect(try mode(home + "/replica.sqlite") == 0o600)
    }

    @Test func aDamagedReplicaGetsClearWords() throws {
        let dir = TemporaryDirectory("files-damaged")
        defer { dir.remove() }
        let home = dir.file("h").path
        #expect(try ProcessRunner.run("brief", ["init", "--name", "a", "--home", home]).status == 0)
        let id = try ProcessRunner.run("brief", ["import", dir.write("p.txt", Samples.plain), "--home", home])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // A record whose stored state is not what this version can read.
        let queue = try DatabaseQueue(path: home + "/replica.sqlite")
        try queue.write { try $0.execute(sql: "UPDATE records SET state = '{\"id\":1}' WHERE id = ?", arguments: [id]) }
        try queue.close()
        let show = try ProcessRunner.run("brief", ["show", id, "--home", home])
        #expect(show.status == 1)
        #expect(
            show.stderr.hasPrefix("error: the replica at \(home) holds data this version cannot read"), "\(show.stderr)"
        )
        #expect(show.stderr.split(separator: "\n").count == 1)
        // Random bytes instead of a database.
        var rng = SeededGenerator(seed: 5)
        let noise = Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &rng) })
        let other = dir.file("n").path
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try noise.write(to: URL(fileURLWithPath: other + "/replica.sqlite"))
        let status = try ProcessRunner.run("brief", ["status", "--home", other])
        #expect(status.status == 1)
        #expect(
            status.stderr.contains("is damaged") || status.stderr.contains("cannot open the replica"),
            "\(status.stderr)")
        #expect(!status.stderr.contains("SQLite error"), "\(status.stderr)")
    }

    @Test func briefdRefusesAnUnusableDataFolder() throws {
        let dir = TemporaryDirectory("files-data")
        defer { dir.remove() }
        let notAFolder = dir.write("data", "a file where the data folder should be")
        let r = try ProcessRunner.run("briefd", ["serve", "--data", notAFolder, "--port", "0"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: cannot create the data folder \(notAFolder)"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    /// A port already taken and a short password get a sentence, not a library error or a
    /// usage line.
    @Test func briefdSaysWhatWasWrong() throws {
        let dir = TemporaryDirectory("files-port")
        defer { dir.remove() }
        let first = try ServerProcess.start(data: dir.file("one").path)
        defer { first.stop() }
        let r = try ProcessRunner.run(
            "briefd", ["serve", "--data", dir.file("two").path, "--port", String(first.port)])
        #expect(r.status == 1)
        #expect(
            r.stderr
                == "error: port \(first.port) on 127.0.0.1 is already in use (another briefd, or another server); stop it or choose another --port\n"
        )
        let short = try ProcessRunner.run(
            "briefd", ["user", "add", "zed", "--password-stdin", "--data", dir.file("one").path], stdin: "short\n")
        #expect(short.status == 1)
        #expect(short.stderr == "error: the password needs at least 8 characters; nothing was changed\n")
    }

    @Test func plainHTTPToAnotherMachineNeedsInsecure() throws {
        let dir = TemporaryDirectory("files-http")
        defer { dir.remove() }
        let home = dir.file("h").path
        #expect(try ProcessRunner.run("brief", ["init", "--name", "a", "--home", home]).status == 0)
        let r = try ProcessRunner.run(
            "brief",
            ["login", "--server", "http://192.0.2.10:8080", "--user", "a", "--password-stdin", "--home", home],
            stdin: "pw\n")
        #expect(r.status == 2)
        #expect(r.stderr.contains("plain http to another machine: your password and token would travel unencrypted"))
        #expect(!FileManager.default.fileExists(atPath: home + "/credentials.json"))
    }
}
