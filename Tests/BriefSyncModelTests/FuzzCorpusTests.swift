import Foundation
import FuzzTargets
import Testing

/// Every input of the fuzz corpus (seeds and everything a fuzzing run kept, crashes it found
/// included) replayed through its target: what once broke stays fixed.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzCorpus")

    @Test(arguments: FuzzTargets.names)
    func corpusReplaysCleanly(target: String) throws {
        let folder = Self.corpus.appendingPathComponent(target)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files.count >= 3, "the \(target) corpus is missing")
        for file in files {
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            FuzzTargets.run(target, Array(data))
        }
    }
}
