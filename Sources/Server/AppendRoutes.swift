import Hummingbird
import NIOCore

/// `POST /v1/events`: appends, only when the server was started with a token
/// (`--accept-appends --token-file F`).
enum AppendRoutes {
    /// `POST /v1/events[?from=events|azure]` with `Authorization: Bearer T`: the body
    /// (JSON Lines, or one Azure payload) appended as `patchlog import` appends a file.
    /// 405 on a read-only server, 401/403 without the token or with another, 413 for a
    /// body over ``ServerSettings/maxBodyBytes``, 409 while another writer holds the lock.
    static func append(_ server: PatchlogServer, _ request: Request, _ q: Query) async throws -> Response {
        guard let token = server.settings.appendToken else {
            throw Problem(.methodNotAllowed, "this server is read-only; start it with --accept-appends --token-file F to take POST /v1/events",
                          headers: [.allow: "GET"])
        }
        try BearerToken.check(request.headers[.authorization], expected: token)
        let from = q["from"] ?? "events"
        guard from == "events" || from == "azure" else { throw Problem.bad("from", "from: \"\(from)\" is not a source; expected events or azure") }
        let limit = server.settings.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw Problem(.contentTooLarge, "the body is \(length) bytes; this server takes at most \(limit)")
        }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limit) } catch is NIOTooManyBytesError {
            throw Problem(.contentTooLarge, "the body is more than \(limit) bytes; this server takes at most \(limit)")
        }
        let bytes = Array(buffer: buffer)
        guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            throw Problem(.badRequest, "the body is empty: there is nothing to append")
        }
        let answer = from == "azure" ? try await server.appender.appendAzure(bytes) : try await server.appender.appendLines(bytes)
        // Read what you wrote: the next request sees the events.
        server.view.refresh()
        return PatchlogServer.text(answer)
    }
}
