import Foundation
import FuzzTargets

// Built two ways (docs/fuzzing.md):
// - for fuzzing: swift build --sanitize=fuzzer -Xswiftc -DFUZZING --product brief-fuzz;
//   libFuzzer's own main runs the target named by $BRIEF_FUZZ_TARGET.
// - normally: `brief-fuzz TARGET FILE...` replays inputs (a crash the fuzzer found, a corpus).

#if FUZZING
    let fuzzTarget = ProcessInfo.processInfo.environment["BRIEF_FUZZ_TARGET"] ?? "push"

    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        FuzzTargets.run(fuzzTarget, bytes)
        return 0
    }
#else
    @main
    struct BriefFuzz {
        static func main() {
            let args = CommandLine.arguments.dropFirst()
            guard let name = args.first, FuzzTargets.names.contains(name), args.count > 1 else {
                FileHandle.standardError.write(
                    Data("usage: brief-fuzz \(FuzzTargets.names.joined(separator: "|")) FILE...\n".utf8))
                exit(2)
            }
            for path in args.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    FileHandle.standardError.write(Data("error: cannot read \(path)\n".utf8))
                    exit(1)
                }
                FuzzTargets.run(name, Array(data))
            }
            print("replayed \(args.count - 1) input(s) through \(name)")
        }
    }
#endif
