import Foundation
import SystemIO
import Testing
@testable import LogStore

/// A writer that died between creating a segment and syncing the directory left a
/// name a power cut could still lose; the next writer appended to that segment and
/// acknowledged its records (fsync of the file alone), and a power cut then lost them
/// with the name. Found by `tools/crash-trials 1000` under `batch` (the lost-entry
/// model). A writer now syncs the directory when it opens the log.
@Suite(.serialized) struct WriterOpenDurabilityTests {
    @Test(arguments: [SyncMode.always, .batch, .none])
    func aWriterMakesTheSegmentNamesDurableWhenItOpens(_ sync: SyncMode) throws {
        let dir = TemporaryDirectory("writer-open")
        let path = dir.at("log")
        let log = try FileLog.create(at: path, options: LogOptions(segmentBytes: 4096, blockBytes: 512, sync: sync))
        _ = try log.append(SampleRecords.make(count: 200))
        log.close()
        let journal = dir.at("journal-\(sync)")
        FaultInjection.journalSyncs(to: journal)
        let reopened = try FileLog.open(at: path, options: LogOptions(segmentBytes: 4096, blockBytes: 512, sync: sync))
        FaultInjection.stopJournal()
        reopened.close()
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        let syncedDirectory = lines.contains { $0.hasPrefix("synced \(path) ") }
        // Under `none` nothing is synced, as that mode says.
        #expect(syncedDirectory == (sync != .none), "\(lines.filter { $0.contains(path) })")
    }
}
