import FuzzTargets

/// `fuzz-record-reader`: in a fuzz build (`-DFUZZING`, see tools/fuzz), libFuzzer's driver
/// on the target; in a normal build, replays the files given as arguments through it
/// (see FuzzReplay).
@main enum FuzzRecordReader {
    static func main() {
        #if FUZZING
        FuzzDriver.run(.recordReader)
        #else
        FuzzReplay.main(.recordReader, arguments: Array(CommandLine.arguments.dropFirst()))
        #endif
    }
}
