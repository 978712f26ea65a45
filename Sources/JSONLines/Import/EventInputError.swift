/// Why a line of input is not a valid event: where (line, field) and what was
/// expected. The importer adds the file name and line number.
public struct EventInputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The line, from 1 (0 until the importer sets it).
    public var line: Int
    /// The field's path in the event (`available[2].kb`), or nil for the line itself.
    public var field: String?
    /// What was expected, and what was found.
    public var message: String
    /// The file, as named by the user (`-` is standard input).
    public var file: String?

    /// An error at `field` (nil: the whole line).
    public init(line: Int = 0, field: String?, message: String, file: String? = nil) {
        self.line = line
        self.field = field
        self.message = message
        self.file = file
    }

    /// `file:line: field X: message`.
    public var description: String {
        let place = (file.map { "\($0):" } ?? "") + (line > 0 ? "\(line): " : " ")
        return place + (field.map { "field \($0): " } ?? "") + message
    }
}
