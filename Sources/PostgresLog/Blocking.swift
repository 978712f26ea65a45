import Dispatch

/// Runs async work from synchronous code (the command line, the importer's loop)
/// and waits for it: the PostgreSQL client is asynchronous, the log store and the
/// importer are not.
public enum Blocking {
    /// Runs `body` in a task and blocks the calling thread until it finishes. Never
    /// call it from a task: it would hold one of the few threads tasks run on.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        Task {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            box.done.signal()
        }
        box.done.wait()
        return try box.result!.get()
    }
}

/// A result handed from a task to a waiting thread; the semaphore orders the write
/// before the read.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
    let done = DispatchSemaphore(value: 0)
}
