#if canImport(Glibc)
import Glibc
#endif
import Events
import SystemIO

/// Small valid inputs to start a fuzzer from, made from the sample history.
public enum FuzzSeeds {
    /// The seed inputs of `target`, by file name.
    public static func seeds(for target: FuzzTarget) -> [(name: String, bytes: [UInt8])] {
        switch target {
        case .recordReader:
            let t = RecordReaderTarget.template
            return [("sample-segment", t.segment), ("sample-index", t.index)]
        case .eventCodec:
            var seeds: [(String, [UInt8])] = []
            var sequence: [UInt8] = []
            for event in SampleEvents.events {
                let payload = EventCodec.encode(event)
                seeds.append(("\(event.type.rawValue)-\(event.id)", payload))
                if payload.count < 256 { sequence += [UInt8(payload.count)] + payload }
            }
            seeds.append(("sequence", sequence))
            return seeds
        case .jsonlImport:
            return [("sample", Array(SampleEvents.jsonl.utf8))]
        case .evidenceText:
            return EvidenceTextTarget.seeds
        }
    }

    /// Writes the seeds of `target` into `directory` (created if missing).
    public static func write(_ target: FuzzTarget, to directory: String) throws {
        try FileSystem.createDirectory(directory)
        for (name, bytes) in seeds(for: target) {
            FuzzScratch.write(bytes, to: directory + "/" + name)
        }
    }
}

/// The normal-build entry point of a fuzz executable: runs the files given as
/// arguments through the target (to reproduce a crash under a debugger), or with
/// `--write-seeds DIR` writes the target's seeds.
public enum FuzzReplay {
    /// Runs `arguments` (without the program name) for `target`, then exits with
    /// status 0 (all ran), 1 (a file could not be read) or 2 (usage).
    public static func main(_ target: FuzzTarget, arguments: [String]) -> Never {
        let status = run(target, arguments: arguments)
        FuzzScratch.removeAll()
        exit(status)
    }

    static func run(_ target: FuzzTarget, arguments: [String]) -> Int32 {
        if arguments.first == "--write-seeds", arguments.count == 2 {
            do { try FuzzSeeds.write(target, to: arguments[1]) } catch {
                print("fuzz-\(target.name): \(error)")
                return 1
            }
            return 0
        }
        if arguments.isEmpty || arguments.contains(where: { $0.hasPrefix("-") }) {
            print("usage: fuzz-\(target.name) FILE... | --write-seeds DIR")
            print("Runs each file through the \(target.name) fuzz target (a libFuzzer build: tools/fuzz).")
            return 2
        }
        for path in arguments {
            do {
                target.run(try FileSystem.read(path))
                print("\(path): ok")
            } catch {
                print("\(path): \(error)")
                return 1
            }
        }
        return 0
    }
}
