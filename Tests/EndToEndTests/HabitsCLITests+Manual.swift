import Foundation
import TestSupport
import Testing

extension HabitsCLITests {
    /// `brief manual` is a man page of every command `--help` lists, generated from the parser;
    /// groff reads it without a warning (required in CI, where `.ci/run` installs groff).
    @Test func theManPageCoversEveryCommandAndRendersCleanly() throws {
        let page = try ProcessRunner.run("brief", ["manual"])
        #expect(page.status == 0 && page.stderr.isEmpty)
        let roff = page.stdout
        #expect(roff.hasPrefix(".TH BRIEF 1 "))
        // Every command in the help's lists has a section.
        let help = try ProcessRunner.run("brief", ["--help"]).stdout
        var listed: [String] = []
        var inList = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasSuffix("SUBCOMMANDS:") {
                inList = true
            } else if line.isEmpty {
                inList = false
            } else if inList, line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first
            {
                listed.append(String(name))
            }
        }
        #expect(listed.count >= 30, "\(listed)")
        for name in listed {
            let escaped = name.replacingOccurrences(of: "-", with: "\\-")
            #expect(roff.contains(".SS brief \(escaped)\n"), "no section for \(name)")
        }
        #expect(roff.contains(".SS brief member add\n") && roff.contains("\\fB\\-\\-role\\fR \\fIrole\\fR"))
        // Plain roff: ASCII only, no text line a formatter would take for a request.
        let requests: Set<Substring> = [".TH", ".SH", ".SS", ".PP", ".TP", ".B", ".I", ".nf", ".fi", ".RS", ".RE"]
        for line in roff.split(separator: "\n") {
            let ascii = line.unicodeScalars.allSatisfy { $0.isASCII }
            #expect(ascii, "\(line)")
            if line.hasPrefix(".") || line.hasPrefix("'") {
                #expect(requests.contains(line.split(separator: " ").first ?? ""), "\(line)")
            }
        }
        let groff = ["/usr/bin/groff", "/bin/groff"].first { FileManager.default.isExecutableFile(atPath: $0) }
        if ProcessInfo.processInfo.environment["CI"] == "true" { #expect(groff != nil, "CI installs groff-base") }
        if let groff {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("brief-\(UUID().uuidString).1")
            try roff.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let check = try ProcessRunner.runTool(groff, ["-man", "-Tutf8", "-ww", "-z", file.path])
            #expect(check.status == 0 && check.stderr.isEmpty, "\(check.stderr)")
        }
    }
}

extension HabitsCLITests {
    /// libcurl and its ~30 libraries load only for an `https://` server (issue 12: start time):
    /// commands that never talk to a server, and those that talk to an `http://` one (plain
    /// sockets), do without.
    @Test func libcurlLoadsOnlyForAnHTTPSServer() throws {
        let help = try ProcessRunner.run("brief", ["--help"], environment: ["LD_DEBUG": "files"])
        #expect(help.status == 0)
        #expect(help.stderr.contains("file=") && !help.stderr.contains("libcurl"), "\(help.stderr.prefix(2000))")
        let dir = TemporaryDirectory("habits-curl")
        defer { dir.remove() }
        let home = dir.file("home").path
        #expect(try ProcessRunner.run("brief", ["init", "--name", "wes", "--home", home]).status == 0)
        // Nothing listens on port 9 here: either way the login answers "cannot reach".
        for (scheme, loadsCurl) in [("http", false), ("https", true)] {
            let login = try ProcessRunner.run(
                "brief",
                ["login", "--server", "\(scheme)://127.0.0.1:9", "--user", "wes", "--password-stdin", "--home", home],
                stdin: "x\n", environment: ["LD_DEBUG": "files"])
            #expect(login.status == 1)
            #expect(login.stderr.contains("libcurl.so.4") == loadsCurl, "\(login.stderr.suffix(500))")
            #expect(
                login.stderr.contains("error: cannot reach \(scheme)://127.0.0.1:9"), "\(login.stderr.suffix(500))")
        }
    }
}
