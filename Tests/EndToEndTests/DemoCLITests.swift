import Foundation
import TestSupport
import Testing

/// `brief demo` is `briefd demo`, so that `brief` carries no server (`demoRunsTheWholeLoop`, in
/// `SyncCLITests`, runs the text version).
@Suite struct DemoCLITests {
    @Test func briefDemoHandsItsFlagToBriefd() throws {
        let r = try ProcessRunner.run("brief", ["demo", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(object?["title"] as? String == "US–China defence talks in Kuala Lumpur")
        #expect(!r.stdout.contains("Started briefd"))
    }

    @Test func withoutBriefdBesideItTheDemoSaysWhatToDo() throws {
        let dir = TemporaryDirectory("demo-alone")
        defer { dir.remove() }
        let copy = dir.file("brief")
        try FileManager.default.copyItem(at: ProcessRunner.productsDirectory.appendingPathComponent("brief"), to: copy)
        let r = try ProcessRunner.runTool(copy.path, ["demo"])
        #expect(r.status == 1)
        #expect(
            r.stderr
                == "error: the demo runs 'briefd demo' and there is no briefd beside brief (\(dir.file("briefd").path)): build both with 'swift build', or run 'briefd demo' where briefd is installed\n"
        )
    }

    /// Every command starts `brief`; the server (Hummingbird, NIO, Crypto) would cost each ~1.8 ms.
    @Test func briefLinksNoServer() throws {
        let binary = try Data(
            contentsOf: ProcessRunner.productsDirectory.appendingPathComponent("brief"), options: .alwaysMapped)
        for module in ["BriefSyncServer", "Hummingbird", "NIOCore"] {
            let mangled = "$s\(module.utf8.count)\(module)"
            #expect(binary.range(of: Data(mangled.utf8)) == nil, "brief carries \(module)")
        }
        // The scan itself works: brief's own client module is there.
        #expect(binary.range(of: Data("$s15BriefSyncClient".utf8)) != nil)
    }
}
