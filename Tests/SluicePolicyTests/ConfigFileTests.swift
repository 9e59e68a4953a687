// The INI syntax of sluice.conf: sections, keys, comments, continuation lines, and the
// errors that must name the file and line.

import Testing

@testable import SluicePolicy

@Suite struct ConfigFileTests {
    @Test func readsSectionsKeysAndContinuations() throws {
        let text = """
            # a comment
            [milter]
            socket = unix:/run/x.sock

            [detect]
            keywords = one,
              two, three
            [rule  block-exe]
            when = x
            """
        let file = try ConfigFile.parse(text, path: "t.conf")
        #expect(file.sections.map(\.name) == ["milter", "detect", "rule block-exe"])
        #expect(
            file.sections[0].entries == [
                ConfigEntry(key: "socket", value: "unix:/run/x.sock", line: 3, column: 10)
            ])
        #expect(file.sections[1].entries[0].value == "one, two, three")
        #expect(file.sections[2].entries[0].line == 9)
    }

    @Test(arguments: [
        ("key = 1\n", "t.conf:1: key: key outside any [section]"),
        ("[a]\nkey = 1\nkey = 2\n", "t.conf:3: key: key given twice in [a]"),
        ("[a]\njust words\n", "t.conf:2: expected 'key = value', found 'just words'"),
        ("[a\n", "t.conf:1: section header lacks ']'"),
        ("  indented = 1\n", "t.conf:1: continuation line without a preceding key"),
        ("[a]\nbad key = 1\n", "t.conf:2: invalid key name 'bad key'"),
    ])
    func syntaxErrorsNameFileAndLine(text: String, expected: String) {
        #expect(throws: ConfigError.self) { try ConfigFile.parse(text, path: "t.conf") }
        do {
            _ = try ConfigFile.parse(text, path: "t.conf")
        } catch {
            #expect(error.description == expected, "got \(error.description), want \(expected)")
        }
    }
}
