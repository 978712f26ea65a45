import SystemIO

/// Reads a file or standard input in large chunks (or takes bytes already in memory)
/// and hands out its lines as byte ranges of a reused buffer, without copying them.
/// Lines end at `\n`; a `\r` before it is dropped.
public final class LineReader {
    /// The file read from; nil when the lines come from bytes in memory.
    private let file: SystemFile?
    private var chunk: [UInt8]
    private let chunkSize: Int
    private(set) var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// Lines handed out so far (the number of the last one).
    public private(set) var lineNumber = 0
    /// Bytes read so far.
    public private(set) var bytesRead = 0

    /// Reads `path`, or standard input for `-`.
    public init(path: String, chunkSize: Int = 4 << 20) throws {
        if path == "-" {
            file = SystemFile.standardInput
        } else {
            let opened: SystemFile
            do { opened = try SystemFile.open(path, access: .readOnly) } catch {
                throw EventInputError(field: nil, message: "cannot open the file for reading (\(error))", file: path)
            }
            if FileSystem.isDirectory(path) {
                opened.close()
                throw EventInputError(field: nil, message: "is a directory; expected a JSON Lines file", file: path)
            }
            file = opened
        }
        self.chunkSize = chunkSize
        chunk = [UInt8](repeating: 0, count: chunkSize)
    }

    /// Hands out the lines of `bytes`, already in memory (no chunk buffer is made).
    public init(bytes: [UInt8]) {
        file = nil
        chunkSize = 0
        chunk = []
        buffer = bytes
        bytesRead = bytes.count
        atEnd = true
    }

    /// The next line as a range of ``lineBuffer``, or nil at the end of input.
    public func next() throws -> Range<Int>? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                var end = newline
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                let line = start..<end
                start = newline + 1
                lineNumber += 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == 0x0D { end -= 1 }
                let line = start..<end
                start = buffer.count
                lineNumber += 1
                return line
            }
            buffer.removeSubrange(0..<start)
            start = 0
            guard let file else {
                atEnd = true
                continue
            }
            let n = try file.readNext(into: &chunk, count: chunkSize)
            if n == 0 { atEnd = true } else {
                bytesRead += n
                buffer.append(contentsOf: chunk[0..<n])
            }
        }
    }

    /// The buffer the ranges from ``next()`` refer to (valid until the next call).
    public var lineBuffer: [UInt8] { buffer }
}
