#if FUZZING
#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's driver (`LLVMFuzzerRunDriver`, in the runtime that
/// `-sanitize=fuzzer` links): parses libFuzzer's options from `argc`/`argv` and
/// calls `callback` with each input.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The entry point of a fuzz build. SwiftPM links an executable's `main` to the
/// entry point the compiler emits for its `@main` type, so libFuzzer's own `main`
/// cannot be used; the `@main` type calls ``run(_:)``, which hands the command line
/// to libFuzzer's driver.
public enum FuzzDriver {
    /// The target the driver's callback runs (a C callback captures nothing).
    nonisolated(unsafe) private static var target: FuzzTarget = .eventCodec

    /// Runs libFuzzer on `target` with this process's command line, then exits with
    /// its status.
    public static func run(_ target: FuzzTarget) -> Never {
        Self.target = target
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, count in
            FuzzDriver.target.run(count == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: count)))
            return 0
        }
        exit(status)
    }
}
#endif
