import Foundation
import Glibc
import PostgresLog
import Testing

/// A TCP port on loopback that accepts connections (the kernel completes the
/// handshake) and never answers: a hung server, as a client sees one.
final class SilentServer {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}

/// `import --to` gives up on a server that does not answer, after `--timeout`,
/// naming the server, instead of waiting for ever.
struct ImportTimeoutTests {
    @Test func anImportToAServerThatNeverAnswersFailsAfterItsTimeoutNamingIt() throws {
        let server = try SilentServer()
        let started = ContinuousClock.now
        let r = Shell.run(Shell.patchlog, ["import", "--to", "postgres://postgres@127.0.0.1:\(server.port)/x", "--timeout", "1",
                                           SharedImportTests.sample])
        let took = ContinuousClock.now - started
        #expect(r.status == 1)
        #expect(r.stderr.contains("127.0.0.1:\(server.port): no answer within 1 s"), "\(r.stderr)")
        #expect(took < .seconds(10), "took \(took)")
    }

    @Test func aTimeoutOfNothingIsRefused() {
        let r = Shell.run(Shell.patchlog, ["import", "--to", "postgres://postgres@127.0.0.1:1/x", "--timeout", "0", SharedImportTests.sample])
        #expect(r.status == 64 && r.stderr.contains("--timeout"), "\(r.stderr)")
    }
}

/// A server that answers the connection but then does not answer the import (here:
/// its commit waits on a lock another transaction holds).
@Suite(.enabled(if: TestDatabase.available, TestDatabase.skipReason))
struct ImportTimeoutServerTests {
    @Test func anImportWhoseCommitGetsNoAnswerFailsNamingTheServerAndAppendsNothing() async throws {
        let location = try await TestDatabase.fresh()
        let url = "\(location)"
        #expect(Shell.run(Shell.patchlog, ["import", "--to", url, SharedImportTests.sample]).status == 0)
        // Another session holds the counter row's lock, which every commit queues on.
        let holder = try await SharedLogConnection.connect(location, forWriting: true)
        try await holder.execute("BEGIN")
        try await holder.execute("SELECT last_sequence FROM patchlog_meta FOR UPDATE")
        let more = SharedImportTests.write([#"{"id":"t-1","type":"vm.power","vm":"web-01","state":"Stopped","time":"2025-06-01T00:00:00Z"}"#])
        let host = "\(location.hosts[0].name):\(location.hosts[0].port)"
        let r = try await onThread { Shell.run(Shell.patchlog, ["import", "--to", url, "--timeout", "1", more]) }
        try await holder.execute("ROLLBACK")
        await holder.close()
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(host): no answer within 1 s (commit the import)"), "\(r.stderr)")
        let reader = try await SharedLogConnection.connect(location, forWriting: false)
        defer { Task { await reader.close() } }
        #expect(try await reader.highWaterMark() == 29)
    }
}
