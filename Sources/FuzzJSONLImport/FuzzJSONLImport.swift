import FuzzTargets

/// `fuzz-jsonl-import`: in a fuzz build (`-DFUZZING`, see tools/fuzz), libFuzzer's driver
/// on the target; in a normal build, replays the files given as arguments through it
/// (see FuzzReplay).
@main enum FuzzJSONLImport {
    static func main() {
        #if FUZZING
        FuzzDriver.run(.jsonlImport)
        #else
        FuzzReplay.main(.jsonlImport, arguments: Array(CommandLine.arguments.dropFirst()))
        #endif
    }
}
