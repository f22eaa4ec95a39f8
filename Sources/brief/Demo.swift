import ArgumentParser
import BriefSyncClient
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `brief demo` becomes `briefd demo`, run from the folder `brief` itself was started from.
///
/// The demo needs a whole server in its process; `brief` starts for every command and linking
/// the server cost each one ~1.8 ms (a quarter more conformance records to scan, relocations
/// and page faults of a 60 MB larger binary), so the demo lives in `briefd` and this command
/// replaces itself with it (`execv`: the same terminal, exit status and signals).
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole loop: an embedded server, two analysts, offline edits, sync, merge.",
        discussion: "Runs 'briefd demo' from the folder brief is in.")

    @Flag(help: "Print the final state as JSON only.") var json = false

    func run() throws {
        let briefd = Self.ownExecutable().deletingLastPathComponent().appendingPathComponent("briefd").path
        guard FileManager.default.isExecutableFile(atPath: briefd) else {
            throw ClientError(
                .fileUnreadable,
                "the demo runs 'briefd demo' and there is no briefd beside brief (\(briefd)): build both with 'swift build', or run 'briefd demo' where briefd is installed"
            )
        }
        let arguments = [briefd, "demo"] + (json ? ["--json"] : [])
        var pointers = arguments.map { strdup($0) } + [nil]
        fflush(nil)  // nothing is buffered now, but exec would drop what was
        execv(briefd, &pointers)
        let reason = String(cString: strerror(errno))
        pointers.forEach { free($0) }
        throw ClientError(.fileUnreadable, "cannot run \(briefd): \(reason)")
    }

    /// This process's executable with symbolic links resolved (`swift run` and installs link it).
    static func ownExecutable() -> URL {
        #if os(Linux)
            if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
                return URL(fileURLWithPath: path)
            }
        #endif
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    }
}
