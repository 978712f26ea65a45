import Testing
import TextFormats

@Suite struct JSONTapeTests {
    func parse(_ s: String) throws -> JSONTape {
        let tape = JSONTape()
        let b = Array(s.utf8)
        try tape.parse(b, range: 0..<b.count)
        return tape
    }

    @Test func valuesOfEveryKindAreOnTheTape() throws {
        let tape = try parse(#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "e": ""} "#)
        #expect(tape.tokens[0].kind == .object && tape.tokens[0].count == 3)
        #expect(tape.tokens.map(\.kind) == [.object, .string, .array, .number, .number, .true, .false, .null, .string, .object, .string, .string, .string, .string])
        #expect(tape.tokens[2].next == 8) // "b" follows the array
    }

    @Test func escapesAndSurrogatePairsDecode() throws {
        let tape = try parse(#"["a\"b\\c\/d\n\t", "\u00e9\u4e2d\ud83d\ude00", "plain é"]"#)
        #expect(tape.string(1) == "a\"b\\c/d\n\t")
        #expect(tape.string(2) == "é中😀")
        #expect(tape.string(3) == "plain é")
    }

    @Test(arguments: [
        ("", 1, "expected a value, found the end of the line"),
        ("{\"a\":1,}", 8, "expected a member name in double quotes"),
        ("[1 2]", 4, "expected ',' or ']' in an array"),
        ("\"abc", 5, "unterminated string"),
        ("\"a\tb\"", 3, "control character in a string (escape it)"),
        ("\"\\x\"", 3, "invalid escape in a string"),
        ("01", 2, "unexpected text after the JSON value"),
        ("-", 2, "expected a digit"),
        ("1.e5", 3, "expected a digit after the decimal point"),
        ("tru", 1, "expected true"),
        ("{\"a\" 1}", 6, "expected ':' after a member name"),
    ])
    func malformedJSONSaysWhereAndWhat(input: String, column: Int, message: String) {
        #expect(throws: JSONTape.SyntaxError(offset: column - 1, message: message)) { _ = try parse(input) }
    }

    @Test func deepNestingIsRefusedNotAStackOverflow() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONTape.SyntaxError.self) { _ = try parse(deep) }
    }

    @Test func invalidUTF8IsNotAString() throws {
        let tape = JSONTape()
        let bytes: [UInt8] = [0x22, 0xFF, 0xFE, 0x22]
        try tape.parse(bytes, range: 0..<4)
        #expect(tape.string(0) == nil)
    }
}
