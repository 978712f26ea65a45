import Dispatch

/// Runs a producer on another thread and hands what it makes to the calling thread,
/// in order, a few items at a time (a bounded queue): one core parses while the other
/// appends. The producer stops early when the consumer stops taking; either side's
/// error ends both, and ``run(producer:consumer:)`` returns only once the producer
/// has stopped, so nothing it uses outlives the call.
///
/// Written by hand because the package's dependencies offer no synchronous bounded
/// queue: swift-nio and swift-async-algorithms are asynchronous, and an import is a
/// synchronous loop over a file.
public final class HandOff<Item: Sendable>: @unchecked Sendable {
    private let lock = Condition()
    private var items: [Item] = []
    private let capacity: Int
    private var producerDone = false
    private var producerError: (any Error)?
    private var consumerStopped = false

    private init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Runs `producer` on another thread, which calls its argument for each item it
    /// makes (the call blocks while `capacity` items wait, and throws
    /// ``Stopped`` once the consumer has stopped); runs `consumer` on this thread
    /// for each item in order. Rethrows the first error in the order of the items:
    /// the consumer's, or else the producer's once every item before it was consumed.
    public static func run(capacity: Int = 4, producer: @escaping @Sendable (_ put: (Item) throws -> Void) throws -> Void,
                           consumer: (Item) throws -> Void) throws {
        let pipe = HandOff(capacity: capacity)
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            do {
                try producer { item in try pipe.put(item) }
                pipe.finish(nil)
            } catch {
                pipe.finish(error is Stopped ? nil : error)
            }
            finished.signal()
        }
        defer { finished.wait() }
        do {
            while let item = try pipe.take() { try consumer(item) }
        } catch {
            pipe.stop()
            throw error
        }
    }

    /// Thrown to the producer when the consumer will take nothing more.
    public struct Stopped: Error {}

    private func put(_ item: Item) throws {
        lock.lock()
        defer { lock.unlock() }
        while items.count >= capacity && !consumerStopped { lock.wait() }
        if consumerStopped { throw Stopped() }
        items.append(item)
        lock.broadcast()
    }

    private func finish(_ error: (any Error)?) {
        lock.withLock {
            producerDone = true
            producerError = error
            lock.broadcast()
        }
    }

    private func stop() {
        lock.withLock {
            consumerStopped = true
            items.removeAll()
            lock.broadcast()
        }
    }

    /// The next item; nil when the producer finished and everything was taken.
    private func take() throws -> Item? {
        lock.lock()
        defer { lock.unlock() }
        while items.isEmpty && !producerDone { lock.wait() }
        if !items.isEmpty {
            let item = items.removeFirst()
            lock.broadcast()
            return item
        }
        if let error = producerError { throw error }
        return nil
    }
}
