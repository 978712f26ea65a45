import Hummingbird
import Logging
import LogStore
import NIOCore
import Replay

/// `patchlog serve`: the log's answers over HTTP, on Hummingbird 2.
///
/// ```swift
/// let server = try PatchlogServer(settings: ServerSettings(directory: "/var/lib/patchlog"))
/// try await server.run { port in print("listening on \(port)") }
/// ```
///
/// Read-only unless ``ServerSettings/appendToken`` is set: the server reads the log
/// through committed views (``LogView``) and never takes the writer lock for reading,
/// so imports from the command line go on while it serves, and it never shows an
/// event of an import that is later taken back. With a token, `POST /v1/events`
/// takes the writer lock for each append only (``Appender``), so command-line imports
/// still go on between them. Every endpoint is listed in
/// ``Routes/all`` and described in the OpenAPI document at `/v1/openapi.json`.
public final class PatchlogServer: Sendable {
    /// What the server was started with.
    public let settings: ServerSettings
    let view: LogView
    let tracker = StreamTracker()
    /// Takes the writer lock for each `POST /v1/events`, one at a time.
    let appender: Appender

    /// Opens the log (a committed view) and prepares the routes.
    public init(settings: ServerSettings) throws {
        self.settings = settings
        view = try LogView(directory: settings.directory, supportedImages: settings.supportedImages)
        appender = Appender(directory: settings.directory)
    }

    /// Serves until the task is cancelled or the process gets SIGINT or SIGTERM;
    /// `onListening` gets the port (useful with port 0).
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router()
        for route in Routes.all {
            router.on(RouterPath(route.path), method: route.method) { request, _ in
                await self.respond(route, request)
            }
        }
        var logger = Logger(label: "patchlog-serve")
        logger.logLevel = .error
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "patchlog"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        defer { view.stop() }
        try await app.runService()
    }

    /// Answers one request: a route's body, or its error as problem details.
    func respond(_ route: Route, _ request: Request) async -> Response {
        do {
            let query = try Query(request, allowed: route.parameters)
            do {
                return try await route.handler(self, request, query)
            } catch let LogError.corrupt(path, _, _) where path.hasSuffix(".idx") {
                // An index rewritten by a writer since the view was opened: once more
                // on a fresh view (a damaged index would fail again, and is reported).
                try view.reopen()
                return try await route.handler(self, request, query)
            }
        } catch let problem as Problem {
            return problem.response
        } catch {
            return Problem(.internalServerError, "\(error)").response
        }
    }

    /// A body of text with a media type.
    static func text(_ body: String, _ type: String = "application/json") -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}

/// How `patchlog serve` was started.
public struct ServerSettings: Sendable {
    /// The log directory.
    public var directory: String
    /// The address to listen on (default loopback only).
    public var host: String
    /// The port (0: any free one).
    public var port: Int
    /// The supported image list the answers use; nil (the default): the log's own, in
    /// force at the moment each query asks about, as the commands use it.
    public var supportedImages: SupportedImages?
    /// The bearer token `POST /v1/events` needs; nil: the server is read-only.
    public var appendToken: String?
    /// The largest request body `POST /v1/events` takes (bytes); larger is a 413.
    public var maxBodyBytes: Int

    /// Settings with these values.
    public init(directory: String, host: String = "127.0.0.1", port: Int = 8080, supportedImages: SupportedImages? = nil, appendToken: String? = nil, maxBodyBytes: Int = 64 << 20) {
        self.directory = directory
        self.host = host
        self.port = port
        self.supportedImages = supportedImages
        self.appendToken = appendToken
        self.maxBodyBytes = maxBodyBytes
    }
}
