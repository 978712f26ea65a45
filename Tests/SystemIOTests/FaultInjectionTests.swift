import Foundation
import Glibc
import SystemIO
import Testing

/// Injected faults are scoped (issue 16, item 4): one touches only the files under the
/// path it was armed for, and disarming it leaves the faults of other tests armed.
@Suite struct FaultInjectionTests {
    func directory(_ name: String) throws -> String {
        let dir = NSTemporaryDirectory() + "patchlog-fault-\(name)-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func write(_ path: String) -> Int32? {
        do {
            let file = try SystemFile.open(path, access: .readWrite, create: true)
            defer { file.close() }
            try file.write([1, 2, 3], at: 0)
            return nil
        } catch {
            return error.errno
        }
    }

    @Test func aFaultTouchesOnlyItsDirectoryAndDisarmingItLeavesOthersArmed() throws {
        let a = try directory("a"), b = try directory("b")
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        let faultA = FaultInjection.arm(.write, pathContains: a, errno: ENOSPC, times: 5)
        let faultB = FaultInjection.arm(.write, pathContains: b, errno: EIO, times: 5)
        #expect(write(a + "/x") == ENOSPC)
        #expect(write(b + "/x") == EIO)
        faultA.disarm()
        #expect(write(a + "/x") == nil)
        #expect(write(b + "/x") == EIO, "disarming one fault disarmed another test's")
        faultB.disarm()
        #expect(write(b + "/x") == nil)
    }
}
