import SystemIO
import Testing

/// The two-thread hand-off an import runs on.
@Suite struct HandOffTests {
    struct Refused: Error, Equatable { let item: Int }

    @Test func everyItemArrivesInOrder() throws {
        var seen: [Int] = []
        try HandOff<Int>.run(capacity: 2, producer: { put in for i in 0..<10_000 { try put(i) } }, consumer: { seen.append($0) })
        #expect(seen == Array(0..<10_000))
    }

    @Test func theProducersErrorComesAfterEveryItemBeforeIt() {
        var seen: [Int] = []
        #expect(throws: Refused(item: 50)) {
            try HandOff<Int>.run(capacity: 3, producer: { put in
                for i in 0..<50 { try put(i) }
                throw Refused(item: 50)
            }, consumer: { seen.append($0) })
        }
        #expect(seen == Array(0..<50))
    }

    /// A producer that would never end stops when the consumer fails, and the call
    /// returns only then.
    @Test func aFailingConsumerStopsTheProducer() {
        let stopped = Flag()
        #expect(throws: Refused(item: 7)) {
            try HandOff<Int>.run(capacity: 2, producer: { put in
                do {
                    var i = 0
                    while true { try put(i); i += 1 }
                } catch {
                    stopped.set()
                    throw error
                }
            }, consumer: { if $0 == 7 { throw Refused(item: 7) } })
        }
        #expect(stopped.isSet)
    }

    final class Flag: @unchecked Sendable {
        private let lock = Condition()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }
}
