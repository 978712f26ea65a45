import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// SIGINT (Ctrl-C) and SIGTERM as a request to stop, for a command that runs until
/// stopped (`sync --follow`): the signal no longer ends the process where it stands;
/// the command notices ``isRequested``, finishes what it is doing, closes its log and
/// exits 0.
///
/// `@unchecked Sendable`: the signal sources are set once, in `init`, and only kept
/// alive after it; the flag is behind a mutex.
final class StopRequest: @unchecked Sendable {
    private let requested = Mutex(false)
    private let sources: [any DispatchSourceSignal]

    /// Takes over SIGINT and SIGTERM; `onStop` runs (on another thread) at each.
    init(onStop: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            return DispatchSource.makeSignalSource(signal: number, queue: .global())
        }
        for source in sources {
            source.setEventHandler { [self] in
                requested.withLock { $0 = true }
                onStop()
            }
            source.resume()
        }
    }

    /// Whether SIGINT or SIGTERM came.
    var isRequested: Bool { requested.withLock { $0 } }
}
