import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client over a real TCP socket on loopback: what the tests talk
/// to the server with (no client library: the requests and the bytes on the wire are
/// in plain sight).
struct HTTPResponse: Sendable {
    let status: Int
    let headers: [String: String]
    let body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
}

final class LoopbackConnection: @unchecked Sendable {
    /// The socket; -1 once closed.
    private(set) var fd: Int32
    private var raw = Data()

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(); throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close() }

    /// Closes the socket, once: a second close (the explicit one, then `deinit`'s)
    /// would close whatever descriptor took the number meanwhile, in this process the
    /// server's own sockets (NIO then stops on EBADF in epoll_ctl, as a fresh-clone
    /// run of tools/test did).
    func close() {
        guard fd >= 0 else { return }
        _ = Glibc.close(fd)
        fd = -1
    }

    /// Sends a request (`Connection: close` unless `keepAlive`).
    func send(_ method: String, _ target: String, headers: [String: String] = [:], body: Data = Data()) {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (k, v) in headers { text += "\(k): \(v)\r\n" }
        if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.count)\r\n" }
        text += "\r\n"
        let bytes = Data(text.utf8) + body
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads what has arrived within `milliseconds`; false at the end of the stream.
    @discardableResult
    func pump(milliseconds: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, milliseconds) > 0 else { return true }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { return false }
        raw.append(contentsOf: buffer[0..<n])
        return true
    }

    /// The response so far: status, headers, and the body decoded from chunks (an
    /// incomplete last chunk left out).
    var response: HTTPResponse? {
        guard let end = raw.range(of: Data("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: raw[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(head[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(raw[end.upperBound...])
        if headers["transfer-encoding"] == "chunked" { body = Self.dechunk(body) }
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    private static func dechunk(_ data: Data) -> Data {
        var out = Data()
        var i = data.startIndex
        while let lineEnd = data[i...].range(of: Data("\r\n".utf8)) {
            guard let size = Int(String(decoding: data[i..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";")[0], radix: 16) else { break }
            let start = lineEnd.upperBound
            guard size > 0, data.endIndex - start >= size + 2 else { break }
            out.append(data[start..<(start + size)])
            i = start + size + 2
        }
        return out
    }

    /// Reads until the body passes `done` or `seconds` pass; true if it did.
    func read(until done: (HTTPResponse) -> Bool, seconds: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let r = response, done(r) { return true }
            if !pump(milliseconds: 50) { return response.map(done) ?? false }
        }
        return false
    }

    /// ``read(until:seconds:)`` off the pool the server's tasks run on.
    func read(seconds: Double = 20, until done: @escaping @Sendable (HTTPResponse) -> Bool) async -> Bool {
        (try? await ServerFixture.offPool { self.read(until: done, seconds: seconds) }) ?? false
    }

    /// One whole request and response.
    static func request(_ port: Int, _ method: String = "GET", _ target: String, headers: [String: String] = [:], body: Data = Data()) throws -> HTTPResponse {
        let c = try LoopbackConnection(port: port)
        c.send(method, target, headers: headers, body: body)
        while c.pump(milliseconds: 30_000) {}
        guard let r = c.response else { throw POSIXError(.EBADMSG) }
        return r
    }
}
