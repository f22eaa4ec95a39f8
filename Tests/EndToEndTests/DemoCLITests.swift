import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

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
            #expect(!contains(binary, mangled), "brief carries \(module)")
        }
        // The scan itself works: brief's own client module is there.
        #expect(contains(binary, "$s15BriefSyncClient"))
    }

    /// Whether `text` occurs in `data` (memchr for its first byte, then memcmp).
    private func contains(_ data: Data, _ text: String) -> Bool {
        let needle = Array(text.utf8)
        return data.withUnsafeBytes { haystack in
            guard let base = haystack.baseAddress, needle.count <= haystack.count else { return false }
            var offset = 0
            let last = haystack.count - needle.count
            while offset <= last {
                guard let hit = memchr(base + offset, Int32(needle[0]), last - offset + 1) else { return false }
                let at = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + at, needle, needle.count) == 0 { return true }
                offset = at + 1
            }
            return false
        }
    }
}
