/// The process's heap.
public enum Heap {
    /// Gives the pages of freed memory back to the system (glibc's `malloc_trim`), so
    /// that a long-running process that has just dropped a large structure shrinks
    /// instead of keeping its high-water mark resident. Does nothing elsewhere.
    public static func returnFreedPages() {
        #if canImport(Glibc)
        _ = glibcMallocTrim(0)
        #endif
    }
}

#if canImport(Glibc)
/// `int malloc_trim(size_t pad)`: glibc declares it in `malloc.h`, which the Glibc
/// module does not export; one integer in, one out, so the symbol is called directly.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
