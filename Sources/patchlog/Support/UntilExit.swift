/// Values this process keeps until it exits, instead of taking them apart when the
/// command that made them returns.
///
/// A full replay's answer is made of hundreds of thousands of small arrays and
/// strings (every finding's evidence and detail, every exposure window's); freeing
/// them one by one after the answer is written took a twentieth of `findings` at
/// 10,000 VMs, for nothing anyone waits on. The operating system takes the memory
/// back at once when the process ends. Only for what a command holds to its end:
/// the peak is the same either way.
enum UntilExit {
    /// Touched only by the main thread, which runs the command.
    nonisolated(unsafe) private static var kept: [Any] = []

    /// Keeps `value` until the process exits, and returns it.
    @discardableResult
    static func keep<T>(_ value: T) -> T {
        kept.append(value)
        return value
    }
}
