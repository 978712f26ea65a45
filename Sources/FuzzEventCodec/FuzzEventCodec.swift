import FuzzTargets

/// `fuzz-event-codec`: in a fuzz build (`-DFUZZING`, see tools/fuzz), libFuzzer's driver
/// on the target; in a normal build, replays the files given as arguments through it
/// (see FuzzReplay).
@main enum FuzzEventCodec {
    static func main() {
        #if FUZZING
        FuzzDriver.run(.eventCodec)
        #else
        FuzzReplay.main(.eventCodec, arguments: Array(CommandLine.arguments.dropFirst()))
        #endif
    }
}
