#if canImport(Glibc)
import Glibc

/// Milliseconds of a clock that only goes forward, for timeouts
/// (`clock_gettime(CLOCK_MONOTONIC)`).
public func monotonicMilliseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}

/// Processor time the calling thread has used, in microseconds
/// (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`): what a wait that should cost nothing
/// is measured with.
public func threadCPUMicroseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1_000
}

/// Sleeps the calling thread for `milliseconds` (`nanosleep(2)`; a signal may end it early).
public func sleepMilliseconds(_ milliseconds: Int) {
    var ts = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
    _ = nanosleep(&ts, nil)
}
#endif
