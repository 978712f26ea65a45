import Events
import EventLog
import Foundation
import LogStore
import Replay
import Testing

/// A record of a VM that is not a readable event stops a point query with an error
/// naming its sequence and id, although a point read leaves ids out.
@Suite struct FoldErrorTests {
    @Test func anUnreadableRecordIsNamedBySequenceAndID() throws {
        let dir = NSTemporaryDirectory() + "patchlog-fold-error-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try FileLog.create(at: dir, options: LogOptions(sync: .none))
        defer { store.close() }
        let log = HotpatchLog(store: store)
        let vm = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-1"
        _ = try store.append([NewRecord(time: 1_000, stream: log.streamKey(forVM: vm), id: "evt-41", payload: [0xFF, 0xFF, 0xFF])])
        let replayer = Replayer(log: log)
        do {
            _ = try replayer.state(ofVM: vm, at: Timestamp(nanoseconds: 2_000))
            Issue.record("an unreadable record was folded")
        } catch let error as RecordError {
            #expect(error.sequence == 1)
            #expect(error.id == "evt-41")
        }
    }
}
