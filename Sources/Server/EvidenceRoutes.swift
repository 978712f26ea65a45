import Evidence
import Hummingbird
import JSONLines
import EventLog
import LogStore
import Replay
import SystemIO

/// The tamper evidence over HTTP: the newest checkpoint kept in the log directory,
/// and inclusion proofs an auditor checks with `patchlog verify-proof`.
enum EvidenceRoutes {
    /// `GET /v1/checkpoint`: the checkpoint file of the log directory that covers the
    /// most records (of this log), as it is; 404 when there is none.
    static func checkpoint(_ view: LogView) throws -> Response {
        let logID = view.snapshot.store.logID
        var best: (size: UInt64, text: String)?
        for name in (try? FileSystem.list(view.directory)) ?? [] {
            let path = view.directory + "/" + name
            guard !FileSystem.isDirectory(path), let file = try? SystemFile.open(path, access: .readOnly) else { continue }
            defer { file.close() }
            guard let head = try? file.read(at: 0, count: 20), head == Array("patchlog checkpoint ".utf8),
                  let size = try? file.size(), size < 1 << 20, let bytes = try? file.read(at: 0, count: size) else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            guard let cp = try? Checkpoint(text: text, file: path), cp.logID == logID else { continue }
            if best.map({ cp.treeSize > $0.size }) ?? true { best = (cp.treeSize, text) }
        }
        guard let best else {
            throw Problem(.notFound, "the log directory holds no checkpoint of this log (patchlog checkpoint --out \(view.directory)/NAME writes one)")
        }
        return PatchlogServer.text(best.text, "text/plain; charset=utf-8")
    }

    /// `GET /v1/proof?seq=N&size=M`: the inclusion proof `patchlog prove --seq N
    /// --checkpoint CP` prints for a checkpoint CP of M records (default: all).
    static func proof(_ q: Query, _ view: LogView) throws -> Response {
        guard let seq = try q.sequence("seq", from1: true) else { throw Problem.bad("seq", "parameter seq is required") }
        let snapshot = view.snapshot
        let size = try q.sequence("size", from1: true) ?? snapshot.count
        guard size <= snapshot.count else { throw Problem.bad("size", "size \(size): the log has \(snapshot.count) committed records") }
        guard seq <= size else { throw Problem.bad("seq", "seq \(seq) is past the end of a tree of \(size) records") }
        let text = try snapshot.run { _ -> String in
            let proof = try InclusionProof.make(log: snapshot.store, logID: snapshot.store.logID, sequence: seq, treeSize: size)
            var lines = ["record \(proof.record.sequence), stream \(proof.record.stream), id \(proof.record.id)"]
            if let event = try? HotpatchLog.event(from: proof.record) { lines.append("event " + EventJSONEncoder.encode(event)) }
            return proof.text(comment: lines)
        }
        return PatchlogServer.text(text, "text/plain; charset=utf-8")
    }
}
