#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Facts about the machine.
public enum SystemInfo {
    /// The number of processors online (at least 1). `sysconf(_SC_NPROCESSORS_ONLN)`.
    public static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
