import Foundation
import Randomness
@testable import LogStore

/// A fresh directory under the system's temporary directory, removed when released.
final class TemporaryDirectory {
    let path: String

    init(_ name: String = "patchlog-test") {
        path = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A path inside the directory.
    func at(_ name: String) -> String { path + "/" + name }
}


/// Records shaped like patchlog's events: per-VM streams with long Azure resource
/// ids, KB numbers, repeated classification lists, times a few minutes apart.
enum SampleRecords {
    static let fixedStart: Int64 = 1_735_689_600_000_000_000 // 2025-01-01T00:00:00Z

    static func vm(_ n: Int) -> String {
        "/subscriptions/6a2f1c1e-8a4d-4f0e-9c7b-2d1e0f3a4b5c/resourceGroups/rg-hotpatch-prod/providers/Microsoft.Compute/virtualMachines/vm-\(String(format: "%05d", n))"
    }

    static func make(count: Int, vms: Int = 20, seed: UInt64 = 1, idPrefix: String = "evt") -> [NewRecord] {
        var g = SplitMix64(seed: seed)
        var t = fixedStart
        return (0..<count).map { i in
            t += Int64.random(in: 1...600, using: &g) * 1_000_000_000
            let v = Int.random(in: 0..<vms, using: &g)
            let kbs = (0..<Int.random(in: 1...4, using: &g)).map { _ in "KB50\(Int.random(in: 10_000...10_050, using: &g))" }
            let payload = """
            {"type":"assessment","vm":"\(vm(v))","status":"Succeeded","rebootPending":false,"available":[\(kbs.map { "{\"kb\":\"\($0)\",\"classifications\":[\"Security\",\"Critical\"]}" }.joined(separator: ","))]}
            """
            return NewRecord(time: t, stream: vm(v), id: "\(idPrefix)-\(i)", payload: Array(payload.utf8))
        }
    }
}

/// Copies a directory tree (for trying many damages on one log).
func copyDirectory(_ from: String, to: String) {
    try? FileManager.default.removeItem(atPath: to)
    try! FileManager.default.copyItem(atPath: from, toPath: to)
}

func fileSize(_ path: String) -> Int {
    (try! FileManager.default.attributesOfItem(atPath: path)[.size] as! NSNumber).intValue
}

func segmentFiles(_ dir: String) -> [String] {
    (try! FileManager.default.contentsOfDirectory(atPath: dir)).filter { $0.hasSuffix(".seg") }.sorted().map { dir + "/" + $0 }
}

func indexFiles(_ dir: String) -> [String] {
    (try! FileManager.default.contentsOfDirectory(atPath: dir)).filter { $0.hasSuffix(".idx") }.sorted().map { dir + "/" + $0 }
}

func truncateFile(_ path: String, to size: Int) {
    let h = FileHandle(forWritingAtPath: path)!
    try! h.truncate(atOffset: UInt64(size))
    try! h.close()
}

func flipBit(_ path: String, at offset: Int, bit: Int) {
    var data = try! Data(contentsOf: URL(fileURLWithPath: path))
    data[offset] ^= UInt8(1 << bit)
    try! data.write(to: URL(fileURLWithPath: path))
}
