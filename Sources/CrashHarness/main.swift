// patchlog-crash: the crash-safety harness of docs/reliability.md.
//
//   patchlog-crash trials --dir DIR [--trials N] [--seed S] [--segment-bytes B] [--modes always,batch,none]
//
// For each sync mode (always, batch, none) it starts a writer child (this program,
// `writer` mode) that appends batches of known records to a log in DIR and notes each
// acknowledged append in an ack file, then kills it with SIGKILL: after a random
// delay, or from inside the store at a chosen write or fsync (a segment roll, an
// index write, a block write) through SystemIO's fault injection.
//
// A SIGKILL alone loses nothing the process wrote (the page cache survives it), so
// after every kill the harness also plays a power cut: from the child's sync journal
// (SystemIO records every successful fsync, rename and file creation) it knows how much
// of each file was durable and which directory entries were, and plays one of four
// power-cut models, in turn:
//   - cut: every file is cut back to a random length between what was durable and its
//     current size (unsynced data lost, possibly torn mid-block);
//   - zeros: the same bytes read back as zeros, the size kept (a file system that shows
//     space it allocated but never wrote as zeros);
//   - garbage: the same bytes read back as random non-zero bytes (stale blocks a file
//     system shows for a write that never reached the disk);
//   - lost entry: a segment file created after the last fsync of the directory loses
//     its name (the file is removed), and the other files are cut as in the first model.
// Then it checks: verify (read-only, before any recovery) finds no damage (under the
// zeros and garbage models a last block it cannot tell from damage, with nothing
// valid after it, is allowed and counted); the log opens; under `always` and
// `batch` every acknowledged record is there and identical (under `none` losing
// acknowledged records is allowed, and counted); every record present is whole and
// exactly what was written; verify finds every checksum and hash-chain link intact;
// the next writer appends on. It prints one line per mode and exits 1 if any check
// failed.
import Foundation
import LogStore
import Randomness
import SystemIO

/// The record with sequence `k`: every field follows from k, so a reader can tell a
/// wrong or partial record from a right one.
func expectedRecord(_ k: UInt64) -> NewRecord {
    var g = SplitMix64(seed: k &* 0x9E37_79B9)
    let length = 16 + Int(g.next() % 400)
    var payload = [UInt8](repeating: 0, count: length)
    for i in 0..<length { payload[i] = UInt8(truncatingIfNeeded: g.next() % 23 &+ 65) }
    return NewRecord(time: Int64(k) * 1_000_000_000, stream: "stream-\(k % 13)", id: "r\(k)", payload: payload)
}

func options(sync: SyncMode, segmentBytes: Int) -> LogOptions {
    var o = LogOptions(sync: sync)
    o.segmentBytes = segmentBytes
    o.blockBytes = 4096
    return o
}

/// Child: appends batches until killed, writing "k\n" to the ack file after each
/// append of records up to k returns.
func writer(dir: String, sync: SyncMode, segmentBytes: Int, seed: UInt64, ackPath: String) throws -> Never {
    FaultInjection.journalSyncs(to: ackPath + ".journal")
    if let crash = ProcessInfo.processInfo.environment["PATCHLOG_CRASH_AT"] {
        // "write:.idx:3" — kill during the 4th write to a path containing ".idx".
        let p = crash.split(separator: ":")
        FaultInjection.arm(p[0] == "sync" ? .sync : .write, pathContains: String(p[1]), errno: FaultInjection.killProcess, skipping: Int(p[2])!)
    }
    let log = FileLog.exists(at: dir) ? try FileLog.open(at: dir, options: options(sync: sync, segmentBytes: segmentBytes))
                                      : try FileLog.create(at: dir, options: options(sync: sync, segmentBytes: segmentBytes))
    let acks = try SystemFile.open(ackPath, access: .readWrite, create: true)
    var ackEnd = try acks.size()
    var g = SplitMix64(seed: seed)
    var next = log.count + 1
    while true {
        let n = 1 + UInt64(g.next() % 120)
        _ = try log.append((next..<(next + n)).map(expectedRecord))
        next += n
        let line = Array("\(next - 1)\n".utf8)
        try acks.write(line, at: ackEnd)
        ackEnd += line.count
    }
}

struct Tally {
    var trials = 0, crashPoints = 0, crashPointsFired = 0, ackedRecords: UInt64 = 0, lostAcked: UInt64 = 0
    var unackedPresent: UInt64 = 0, tornBytesCut = 0, unsyncedBytesDropped = 0, failures: [String] = []
    /// Power cuts played per model (``PowerCut`` order).
    var models = [0, 0, 0, 0]
    /// Segment files removed because their directory entry was never made durable.
    var segmentsLost = 0
    /// Last blocks that verify, before any repair, reported as damage that may be a torn tail.
    var tailsFlagged = 0
}

/// What a power cut does to the bytes and names that were not durable.
enum PowerCut: Int, CaseIterable {
    /// Unsynced bytes are lost: each file is cut back to a random length.
    case cut
    /// Unsynced bytes read back as zeros; the file keeps its size.
    case zeros
    /// Unsynced bytes read back as random non-zero bytes; the file keeps its size.
    case garbage
    /// A segment created after the last directory fsync loses its name; files are cut.
    case lostEntry
}

/// Plays a power cut on the log directory under `model`: every file is cut back to, or
/// zero-filled or overwritten with garbage from, a random length between what its last
/// fsync made durable (per the child's journal) and its size; under `lostEntry` a
/// segment file created after the last fsync of the directory is removed first.
func powerCut(dir: String, journal: String, model: PowerCut, random g: inout SplitMix64, tally: inout Tally) {
    var durable: [String: Int] = [:]
    var created: [String: Int] = [:]
    var lastDirectorySync = -1
    let lines = ((try? String(contentsOfFile: journal, encoding: .utf8)) ?? "").split(separator: "\n")
    for (n, line) in lines.enumerated() {
        let p = line.split(separator: " ")
        if p.count == 3, p[0] == "synced", let size = Int(p[2]) {
            durable[String(p[1])] = size
            if p[1] == dir { lastDirectorySync = n }
        }
        if p.count == 3, p[0] == "rename" { durable[String(p[2])] = durable.removeValue(forKey: String(p[1])) }
        if p.count == 2, p[0] == "created" { created[String(p[1])] = n }
    }
    tally.models[model.rawValue] += 1
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
    for name in names where name != "LOCK" {
        let path = dir + "/" + name
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil else { continue }
        if model == .lostEntry, name.hasSuffix(".seg"), let at = created[path], at > lastDirectorySync {
            try? FileManager.default.removeItem(atPath: path)
            tally.segmentsLost += 1
            tally.unsyncedBytesDropped += size
            continue
        }
        let safe = min(durable[path] ?? 0, size)
        guard size > safe else { continue }
        let cut = safe + g.next(upTo: size - safe + 1)
        guard cut < size, let h = FileHandle(forUpdatingAtPath: path) else { continue }
        switch model {
        case .cut, .lostEntry:
            try? h.truncate(atOffset: UInt64(cut))
        case .zeros:
            try? h.truncate(atOffset: UInt64(cut))
            try? h.truncate(atOffset: UInt64(size))
        case .garbage:
            try? h.seek(toOffset: UInt64(cut))
            try? h.write(contentsOf: Data((cut..<size).map { _ in UInt8(1 + g.next(upTo: 255)) }))
        }
        try? h.close()
        tally.unsyncedBytesDropped += size - cut
    }
}

/// Opens the log after a kill and checks every promise; returns what it found.
func check(dir: String, maxAcked: UInt64, sync: SyncMode, segmentBytes: Int, model: PowerCut, tally: inout Tally) {
    do {
        // Before anything repairs it: what the crash left must not look damaged. Stale
        // bytes or zeros over part of the last block, with nothing valid after them,
        // cannot be told from a damaged last block: verify may say so, nothing else.
        let before = try FileLog.verify(directory: dir)
        if let problem = before.problem {
            if problem.isTail && (model == .zeros || model == .garbage) {
                tally.tailsFlagged += 1
            } else {
                tally.failures.append("\(sync) (\(model)): verify right after the crash: \(problem)")
            }
        }
        let log = try FileLog.open(at: dir, options: options(sync: sync, segmentBytes: segmentBytes))
        tally.tornBytesCut += log.recovery.droppedBytes
        let count = log.count
        if count < maxAcked {
            tally.lostAcked += maxAcked - count
            if sync != .none {
                tally.failures.append("\(sync) (\(model)): \(maxAcked - count) acknowledged records missing (log has \(count), acked \(maxAcked))")
            }
        }
        tally.unackedPresent += count > maxAcked ? count - maxAcked : 0
        var k: UInt64 = 0
        try log.scan { view in
            k += 1
            let want = expectedRecord(k)
            if view.sequence != k || view.time != want.time || view.id != want.id || !view.payload.elementsEqual(want.payload)
                || log.streamKey(view.stream) != want.stream {
                tally.failures.append("\(sync): record \(view.sequence) is not what was written")
                return false
            }
            return true
        }
        log.close()
        let report = try FileLog.verify(directory: dir)
        if let problem = report.problem { tally.failures.append("\(sync): verify after a kill: \(problem)") }
    } catch {
        tally.failures.append("\(sync): the log does not open after a kill: \(error)")
    }
}

func trials(dir: String, count: Int, seed: UInt64, segmentBytes: Int, modes: [SyncMode] = [.always, .batch, .none]) throws -> Bool {
    let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    var g = SplitMix64(seed: seed)
    var allGood = true
    let crashPoints = ["write:.seg:", "write:.idx:", "sync:.seg:", "sync:.idx:"]
    print("| sync | kills | armed to die inside a write or fsync (fired) | acknowledged records | acknowledged but lost | unacknowledged but present (whole) | unsynced bytes dropped by the power cut | torn bytes cut by recovery | failures | power cuts: cut / zeros / garbage / lost entry | segment files lost (name never durable) | last blocks verify flagged as damage or torn |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for sync in modes {
        let logDir = dir + "/log-\(sync)"
        let ackPath = dir + "/acks-\(sync)"
        try? FileManager.default.removeItem(atPath: logDir)
        try? FileManager.default.removeItem(atPath: ackPath)
        try? FileManager.default.removeItem(atPath: ackPath + ".journal")
        var tally = Tally()
        for trial in 0..<count {
            var env = ProcessInfo.processInfo.environment
            // One trial in three dies inside the store at a chosen write or fsync.
            if trial % 3 == 2 {
                env["PATCHLOG_CRASH_AT"] = crashPoints[g.next(upTo: crashPoints.count)] + "\(g.next(upTo: 4))"
                tally.crashPoints += 1
            }
            let p = try ChildProcess.start(me, ["writer", logDir, "\(sync)", "\(segmentBytes)", "\(g.next())", ackPath],
                                           environment: env, stdout: .discard, stderr: .inherit)
            // A trial armed to die inside the store gets a second before the timer's
            // kill, which is only its backup: on a loaded machine a writer may not reach
            // its crash point within the usual few milliseconds.
            usleep(UInt32((trial % 3 == 2 ? 1_000_000 : 3_000) + g.next(upTo: 60_000)))
            p.send(SIGKILL)
            _ = p.wait()
            let acked = (try? String(contentsOfFile: ackPath, encoding: .utf8))?.split(separator: "\n").last.flatMap { UInt64($0) } ?? 0
            tally.trials += 1
            tally.ackedRecords = acked
            let journal = ackPath + ".journal"
            let fired = ((try? String(contentsOfFile: journal, encoding: .utf8)) ?? "").split(separator: "\n").filter { $0.hasPrefix("crash ") }.count
            tally.crashPointsFired = fired
            let model = PowerCut.allCases[trial % PowerCut.allCases.count]
            let killed = dir + "/killed-\(sync)"
            try? FileManager.default.removeItem(atPath: killed)
            try? FileManager.default.copyItem(atPath: logDir, toPath: killed)
            powerCut(dir: logDir, journal: journal, model: model, random: &g, tally: &tally)
            if acked == 0 && !FileLog.exists(at: logDir) {
                // Killed before the log's identity was durable: nothing was promised, and
                // the next writer creates the log (a leftover LOG.tmp does not stop it).
                continue
            }
            // What the power cut left, kept for a post-mortem if the checks fail.
            let left = dir + "/left-\(sync)"
            try? FileManager.default.removeItem(atPath: left)
            try? FileManager.default.copyItem(atPath: logDir, toPath: left)
            let failuresBefore = tally.failures.count
            check(dir: logDir, maxAcked: acked, sync: sync, segmentBytes: segmentBytes, model: model, tally: &tally)
            if tally.failures.count > failuresBefore {
                let kept = dir + "/failed-\(sync)-\(trial)"
                try? FileManager.default.moveItem(atPath: left, toPath: kept)
                try? FileManager.default.copyItem(atPath: journal, toPath: kept + ".journal")
                try? FileManager.default.moveItem(atPath: killed, toPath: kept + ".killed")
                print("    kept \(kept) (trial \(trial), \(model), acked \(acked)\(env["PATCHLOG_CRASH_AT"].map { ", armed " + $0 } ?? ""))")
                // Later trials would fail on the same loss: start the mode's log afresh.
                try? FileManager.default.removeItem(atPath: logDir)
                try? FileManager.default.removeItem(atPath: ackPath)
                try? FileManager.default.removeItem(atPath: journal)
            }
        }
        print("| \(sync) | \(tally.trials) | \(tally.crashPoints) (\(tally.crashPointsFired)) | \(tally.ackedRecords) | \(tally.lostAcked) | \(tally.unackedPresent) | \(tally.unsyncedBytesDropped) | \(tally.tornBytesCut) | \(tally.failures.count) | \(tally.models.map(String.init).joined(separator: " / ")) | \(tally.segmentsLost) | \(tally.tailsFlagged) |")
        for f in tally.failures.prefix(5) { print("    FAILED: \(f)") }
        if !tally.failures.isEmpty { allGood = false }
    }
    return allGood
}

let args = CommandLine.arguments
if args.count >= 7 && args[1] == "writer" {
    do {
        try writer(dir: args[2], sync: SyncMode(rawValue: args[3])!, segmentBytes: Int(args[4])!, seed: UInt64(args[5])!, ackPath: args[6])
    } catch {
        FileHandle.standardError.write(Data("writer: \(error)\n".utf8))
        exit(1)
    }
}
func value(_ name: String) -> String? { args.firstIndex(of: name).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } }
guard args.count >= 2, args[1] == "trials", let dir = value("--dir") else {
    print("usage: patchlog-crash trials --dir DIR [--trials N] [--seed S] [--segment-bytes B] [--modes always,batch,none]")
    exit(64)
}
let modes = (value("--modes") ?? "always,batch,none").split(separator: ",").compactMap { SyncMode(rawValue: String($0)) }
let ok = try trials(dir: dir, count: Int(value("--trials") ?? "20")!, seed: UInt64(value("--seed") ?? "1")!, segmentBytes: Int(value("--segment-bytes") ?? "65536")!,
                    modes: modes)
exit(ok ? 0 : 1)
