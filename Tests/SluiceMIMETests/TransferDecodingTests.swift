// Transfer decodings: base64 and quoted-printable tolerant of damage, and uuencoded files both
// as a transfer encoding and embedded in plain-text bodies.

import Testing

@testable import SluiceMIME

struct Base64Case: Sendable, CustomTestStringConvertible {
    var name: String
    var input: String
    var output: String
    var damaged: Bool
    var testDescription: String { self.name }
}

struct QuotedPrintableCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: String
    var output: String
    var damaged: Bool
    var testDescription: String { self.name }
}

@Suite struct TransferDecodingTests {
    static let base64Cases: [Base64Case] = [
        Base64Case(name: "clean", input: "aGVsbG8gd29ybGQ=", output: "hello world", damaged: false),
        Base64Case(
            name: "line breaks", input: "aGVs\r\nbG8g\nd29y bGQ=", output: "hello world",
            damaged: false),
        Base64Case(
            name: "no padding", input: "aGVsbG8gd29ybGQ", output: "hello world", damaged: false),
        Base64Case(
            name: "garbage skipped", input: "aGVs!bG8*gd29ybGQ=", output: "hello world",
            damaged: true),
        Base64Case(name: "padding mid-stream", input: "aGk=aGk=", output: "hihi", damaged: true),
        Base64Case(
            name: "truncated quantum", input: "aGVsbG8gd29ybGQ=a", output: "hello world",
            damaged: true),
        Base64Case(name: "empty", input: "", output: "", damaged: false),
        Base64Case(name: "only garbage", input: "!!!!", output: "", damaged: true),
        Base64Case(name: "extra padding", input: "aGk===", output: "hi", damaged: false),
    ]

    @Test(arguments: base64Cases)
    func base64(_ test: Base64Case) {
        let result = Base64Decoder.decode(Array(test.input.utf8))
        let got = String(decoding: result.bytes, as: UTF8.self)
        #expect(
            got == test.output, "got \(got.debugDescription), want \(test.output.debugDescription)")
        #expect((result.damage != nil) == test.damaged, "damage: got \(result.damage ?? "none")")
    }

    @Test func base64MatchesFoundationOnRandomData() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 2, 3, 57, 100, 4096, 10_001] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let decoded = Base64Decoder.decode(Array(SluiceMIMETests.base64(bytes).utf8))
            #expect(decoded.bytes == bytes, "length \(length) did not round-trip")
            #expect(decoded.damage == nil)
        }
    }

    @Test func base64StopsAtLimit() {
        let encoded = Array(SluiceMIMETests.base64([UInt8](repeating: 7, count: 3000)).utf8)
        let result = encoded.withUnsafeBufferPointer {
            Base64Decoder.decode($0, 0..<$0.count, limit: 1000)
        }
        #expect(result.bytes.count == 1000)
        #expect(result.truncated)
    }

    static let quotedPrintableCases: [QuotedPrintableCase] = [
        QuotedPrintableCase(name: "escapes", input: "caf=C3=A9", output: "café", damaged: false),
        QuotedPrintableCase(
            name: "lower-case hex", input: "caf=c3=a9", output: "café", damaged: false),
        QuotedPrintableCase(
            name: "soft break CRLF", input: "ab=\r\ncd", output: "abcd", damaged: false),
        QuotedPrintableCase(
            name: "soft break LF", input: "ab=\ncd", output: "abcd", damaged: false),
        QuotedPrintableCase(
            name: "soft break after blanks", input: "ab= \t\r\ncd", output: "abcd", damaged: false),
        QuotedPrintableCase(
            name: "bad escape kept", input: "a=ZZb", output: "a=ZZb", damaged: true),
        QuotedPrintableCase(name: "half escape kept", input: "a=4", output: "a=4", damaged: true),
        QuotedPrintableCase(name: "trailing equals", input: "end=", output: "end", damaged: false),
        QuotedPrintableCase(
            name: "hard breaks kept", input: "a\r\nb\nc", output: "a\r\nb\nc", damaged: false),
    ]

    @Test(arguments: quotedPrintableCases)
    func quotedPrintable(_ test: QuotedPrintableCase) {
        let result = QuotedPrintableDecoder.decode(Array(test.input.utf8))
        let got = String(decoding: result.bytes, as: UTF8.self)
        #expect(
            got == test.output, "got \(got.debugDescription), want \(test.output.debugDescription)")
        #expect((result.damage != nil) == test.damaged, "damage: got \(result.damage ?? "none")")
    }

    @Test func qEncodedWordUnderscoreIsSpace() {
        let got = QuotedPrintableDecoder.decodeEncodedWord(Array("a_b=5Fc".utf8)[...])
        #expect(String(decoding: got, as: UTF8.self) == "a b_c")
    }

    /// "Cat" uuencoded, as `uuencode` writes it.
    static let uuencodedCat = "begin 644 cat.txt\n#0V%T\n`\nend\n"

    @Test func uuencodedBlockInTextBecomesAttachment() throws {
        let message = parse(
            """
            Subject: files

            see below
            \(Self.uuencodedCat)
            thanks
            """)
        let file = try #require(message.parts.first { $0.flags.contains(.uuencoded) })
        #expect(file.path == "1.1")
        #expect(file.filename == "cat.txt")
        #expect(String(decoding: file.content, as: UTF8.self) == "Cat")
        #expect(file.isAttachment)
        #expect(message.text(from: .filename(path: "1.1")) == "cat.txt")
    }

    @Test func uuencodeBase64VariantInText() throws {
        let message = parse("see\nbegin-base64 644 cat.txt\nQ2F0\n====\nbye\n")
        let file = try #require(message.parts.first { $0.flags.contains(.uuencoded) })
        #expect(file.filename == "cat.txt")
        #expect(String(decoding: file.content, as: UTF8.self) == "Cat")
        #expect(!file.flags.contains(.malformedUUEncode))
    }

    @Test func unterminatedUUEncodeIsFlagged() throws {
        let message = parse("text\nbegin 644 cat.txt\n#0V%T\n")
        let file = try #require(message.parts.first { $0.flags.contains(.uuencoded) })
        #expect(String(decoding: file.content, as: UTF8.self) == "Cat")
        #expect(file.flags.contains(.malformedUUEncode))
    }

    @Test func xUUEncodeTransferEncoding() throws {
        let message = parse(
            """
            Content-Type: application/octet-stream
            Content-Transfer-Encoding: x-uuencode

            \(Self.uuencodedCat)
            """)
        let part = try #require(message.parts.first)
        #expect(String(decoding: part.content, as: UTF8.self) == "Cat")
        #expect(part.filename == "cat.txt")
        #expect(part.flags.isEmpty, "flags: \(part.flags.names)")
    }

    @Test func bodyDecodingReportsDamage() throws {
        let message = parse(
            """
            Content-Type: text/plain
            Content-Transfer-Encoding: base64

            aGVsbG8g!!d29ybGQ=
            """)
        let part = try #require(message.parts.first)
        #expect(part.flags.contains(.malformedBase64))
        #expect(message.text(from: .body(path: "1")) == "hello world")
        #expect(message.problems.contains { $0.kind == .malformedBase64 && $0.path == "1" })
    }
}
