import ArgumentParser
import SystemIO

/// Output helpers: notes and errors go to standard error, results to standard output.
enum Terminal {
    /// Prints `message` to standard error with the program's name.
    static func note(_ message: String) {
        try? SystemFile.standardError.writeNext(Array("patchlog: \(message)\n".utf8))
    }

    /// Whether standard error is a terminal (for progress output).
    static var stderrIsTTY: Bool { SystemFile.standardError.isTerminal }

    /// `x` with `digits` decimals (`12.3`).
    static func fixed(_ x: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int64((abs(x) * scale).rounded())
        let whole = scaled / Int64(scale)
        var fraction = String(scaled % Int64(scale))
        while fraction.count < digits { fraction = "0" + fraction }
        return (x < 0 && scaled != 0 ? "-" : "") + String(whole) + (digits > 0 ? "." + fraction : "")
    }

    /// `1,234,567`.
    static func grouped(_ n: some BinaryInteger) -> String {
        let s = String(n)
        var out = ""
        for (i, c) in s.reversed().enumerated() {
            if i > 0 && i % 3 == 0 && c != "-" { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }

    /// `12.3 MiB`.
    static func bytes(_ n: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var v = Double(n)
        var u = 0
        while v >= 1024 && u < units.count - 1 { v /= 1024; u += 1 }
        return u == 0 ? "\(n) B" : "\(fixed(v, 1)) \(units[u])"
    }
}

/// An error the command reports as `patchlog: message` with exit code 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Where a command writes its output: the file given with `--out`, else standard output.
///
/// An `--out` file is written to a temporary file beside it and renamed over it only
/// when the command succeeds (``OutputFile/commit()``), so a command that fails leaves
/// no half-written file and the old file, if any, untouched. `--out` never follows a
/// symbolic link and never replaces a checkpoint (nor, for `checkpoint --out`, any
/// existing file).
enum Output {
    /// Refuses, before any work is done, an `--out` that is empty, names a directory
    /// or a symbolic link, or names an existing checkpoint; with `refuseExisting`, any
    /// existing file.
    static func validate(_ path: String?, option: String = "--out", refuseExisting: Bool = false) throws {
        guard let path else { return }
        if path.isEmpty { throw ValidationError("\(option) is empty: expected a file name") }
        if FileSystem.isSymbolicLink(path) {
            throw ValidationError("\(option) \(path) is a symbolic link: give the file itself (patchlog does not write through links)")
        }
        if FileSystem.isDirectory(path) { throw ValidationError("\(option) \(path) is a directory: expected a file to write") }
        guard FileSystem.exists(path) else { return }
        if refuseExisting {
            throw ValidationError("\(option) \(path) already exists: a checkpoint is never overwritten; give a new file name")
        }
        if let head = try? SystemFile.open(path, access: .readOnly).read(at: 0, count: 32),
           String(decoding: head, as: UTF8.self).hasPrefix("patchlog checkpoint ") {
            throw ValidationError("\(option) \(path) is a checkpoint: it is never overwritten; give another file name")
        }
    }

    /// Standard output for nil; otherwise a temporary file beside `path`, which
    /// ``OutputFile/commit()`` renames to `path`.
    static func open(_ path: String?) throws -> OutputFile {
        guard let path else { return OutputFile(file: SystemFile.standardOutput, path: nil, temporary: nil) }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).\(FileSystem.processID).tmp"
        do {
            try? FileSystem.remove(temporary)
            let file = try SystemFile.open(temporary, access: .readWrite, create: true, exclusive: true)
            return OutputFile(file: file, path: path, temporary: temporary)
        } catch { throw CommandFailure("cannot write \(path): \(error)") }
    }
}

/// Output being written: standard output, or an `--out` file's temporary file that
/// becomes the file on ``commit()`` and is removed if the command ends without it.
final class OutputFile {
    private let file: SystemFile
    /// The `--out` path, nil for standard output.
    let path: String?
    private var temporary: String?

    init(file: SystemFile, path: String?, temporary: String?) {
        self.file = file
        self.path = path
        self.temporary = temporary
    }

    /// Writes `bytes` after what was written so far.
    func writeNext(_ bytes: [UInt8]) throws {
        do { try file.writeNext(bytes) } catch { throw CommandFailure("cannot write \(path ?? "standard output"): \(error)") }
    }

    /// Makes the output final: the temporary file is synced and renamed to the
    /// `--out` path (replacing the link, never its target, if one appeared since).
    func commit() throws {
        guard let temporary, let path else { return }
        do {
            try file.sync()
            file.close()
            try FileSystem.rename(temporary, to: path)
            self.temporary = nil
        } catch { throw CommandFailure("cannot write \(path): \(error)") }
    }

    /// A command that did not commit leaves nothing behind.
    deinit {
        if let temporary {
            file.close()
            try? FileSystem.remove(temporary)
        }
    }
}
