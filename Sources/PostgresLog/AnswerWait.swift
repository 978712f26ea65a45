import NIOCore
import Synchronization

/// Waits for an operation on a connection, but not for ever: it ends with the
/// operation's result, or as soon as the connection closes, or when a deadline
/// passes, whichever comes first.
///
/// Why not a task group: postgres-nio 1.33.2 never answers a statement written to a
/// connection that has already closed (the write's failure is dropped, so the
/// statement waits for ever, and cancelling it does nothing), and a connection to a
/// server that vanished without a word may wait for minutes. A task group would wait
/// for such a child; this leaves it behind instead.
///
/// ```swift
/// let rows = try await AnswerWait.run(seconds: 60, closed: connection.closeFuture) {
///     try await connection.query("SELECT 1", logger: logger).collect()
/// }
/// ```
enum AnswerWait {
    /// How a wait ended without the operation's own result.
    enum Outcome: Error {
        /// The connection closed first.
        case closed
        /// The deadline passed first.
        case timedOut
    }

    /// Runs `body` in a task of its own and returns (or throws) what it does, unless
    /// `closed` completes first (``Outcome/closed``) or `seconds` pass first
    /// (``Outcome/timedOut``; nil: no deadline). A `body` that finishes after losing
    /// hands its value to `abandoned` (to close a connection nobody will use).
    static func run<T: Sendable>(seconds: Double?, closed: EventLoopFuture<Void>?,
                                 abandoned: @escaping @Sendable (T) -> Void = { _ in },
                                 _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let once = Once()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let work = TaskSlot()
            let timer = seconds.map { seconds in
                Task {
                    try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                    if once.claim() {
                        work.cancel()
                        continuation.resume(throwing: Outcome.timedOut)
                    }
                }
            }
            closed?.whenComplete { _ in
                if once.claim() {
                    timer?.cancel()
                    work.cancel()
                    continuation.resume(throwing: Outcome.closed)
                }
            }
            let task = Task {
                let result: Result<T, any Error>
                do { result = .success(try await body()) } catch { result = .failure(error) }
                if once.claim() {
                    timer?.cancel()
                    continuation.resume(with: result)
                } else if case let .success(value) = result {
                    abandoned(value)
                }
            }
            work.hold(task)
        }
    }
}

/// True for the first caller of ``claim()`` only.
final class Once: Sendable {
    private let claimed = Mutex(false)

    /// Whether this is the first call.
    func claim() -> Bool {
        claimed.withLock { done in
            defer { done = true }
            return !done
        }
    }
}

/// A task to cancel, set once it exists.
final class TaskSlot: Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let cancelled = Mutex(false)

    /// Keeps `t`; cancels it at once if ``cancel()`` came first.
    func hold(_ t: Task<Void, Never>) {
        task.withLock { $0 = t }
        if cancelled.withLock({ $0 }) { t.cancel() }
    }

    /// Cancels the task (now, or when it is held).
    func cancel() {
        cancelled.withLock { $0 = true }
        task.withLock { $0?.cancel() }
    }
}
