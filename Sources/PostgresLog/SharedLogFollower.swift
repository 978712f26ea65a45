import Dispatch
import Synchronization

/// Wakes a follower when the shared log grows: a task that keeps a connection
/// listening on the shared log's channel (`LISTEN patchlog`), reconnecting through
/// the location's hosts when it is lost, and signals on every notification.
///
/// ```swift
/// let wakeups = SharedLogFollower(location: location)
/// while true { try sync(); wakeups.wait(seconds: 30) }
/// ```
///
/// A notification may be missed while reconnecting; the timeout of ``wait(seconds:)``
/// is the follower's safety net, and a sync after a spurious wake copies nothing.
public final class SharedLogFollower: Sendable {
    private let signal = DispatchSemaphore(value: 0)
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// Starts listening on `location`.
    public init(location: SharedLogLocation) {
        let signal = self.signal
        let t = Task {
            while !Task.isCancelled {
                do {
                    let db = try await SharedLogConnection.connect(location, forWriting: false)
                    defer { Task { await db.close() } }
                    try await db.follow { _ in
                        signal.signal()
                        return !Task.isCancelled
                    }
                } catch {
                    try? await Task.sleep(for: .milliseconds(500))
                }
            }
        }
        task.withLock { $0 = t }
    }

    /// Waits for the next notification, or `seconds`; whether one came.
    @discardableResult
    public func wait(seconds: Double) -> Bool {
        signal.wait(timeout: .now() + .milliseconds(Int(seconds * 1000))) == .success
    }

    /// Ends the current (or next) ``wait(seconds:)`` at once, as a notification
    /// would: for a follower asked to stop.
    public func wake() {
        signal.signal()
    }

    /// Stops listening.
    public func stop() {
        task.withLock { $0?.cancel() }
    }

    deinit { stop() }
}
