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
enum Output {
    /// Opens `path` for writing (created or emptied), or standard output for nil.
    /// Refuses an `--out` that names a directory, before any work is done.
    static func validate(_ path: String?, option: String = "--out") throws {
        guard let path else { return }
        if path.isEmpty { throw ValidationError("\(option) is empty: expected a file name") }
        if FileSystem.isDirectory(path) { throw ValidationError("\(option) \(path) is a directory: expected a file to write") }
    }

    static func open(_ path: String?) throws -> SystemFile {
        guard let path else { return SystemFile.standardOutput }
        do { return try FileSystem.create(path) } catch { throw CommandFailure("cannot write \(path): \(error)") }
    }
}
