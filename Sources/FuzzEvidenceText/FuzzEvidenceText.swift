import FuzzTargets

/// `fuzz-evidence-text`: in a fuzz build (`-DFUZZING`, see tools/fuzz), libFuzzer's driver
/// on the target; in a normal build, replays the files given as arguments through it
/// (see FuzzReplay).
@main enum FuzzEvidenceText {
    static func main() {
        #if FUZZING
        FuzzDriver.run(.evidenceText)
        #else
        FuzzReplay.main(.evidenceText, arguments: Array(CommandLine.arguments.dropFirst()))
        #endif
    }
}
