// Message structure: nesting and paths, encapsulated messages, preamble and epilogue, and the
// damage real mail carries (missing boundaries, odd boundaries, bare LF, NUL bytes, 8-bit and
// folded headers, parts without headers).

import Foundation
import Testing

@testable import SluiceMIME

@Suite struct StructureTests {
    static let nested = """
        From: a@example.com
        Subject: nested
        Content-Type: multipart/mixed; boundary="outer"

        --outer
        Content-Type: multipart/alternative; boundary=inner

        --inner
        Content-Type: text/plain

        plain body
        --inner
        Content-Type: text/html

        <p>html body</p>
        --inner--
        --outer
        Content-Type: application/pdf
        Content-Disposition: attachment; filename=report.pdf
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --outer
        Content-Type: message/rfc822

        Subject: forwarded
        Content-Type: multipart/mixed; boundary=fwd

        --fwd
        Content-Type: text/plain

        forwarded body
        --fwd
        Content-Type: image/png
        Content-Transfer-Encoding: base64

        iVBORw0KGgo=
        --fwd--
        --outer--
        """

    @Test func nestedPartsGetPathsTypesAndRoles() {
        let message = parse(Self.nested)
        let got = message.parts.map { "\($0.path) \($0.contentType) \($0.role.rawValue)" }
        let want = [
            "1 multipart/mixed container",
            "1.1 multipart/alternative container",
            "1.1.1 text/plain inline-text",
            "1.1.2 text/html inline-text",
            "1.2 application/pdf attachment",
            "1.3 message/rfc822 container",
            "1.3.1 multipart/mixed container",
            "1.3.1.1 text/plain inline-text",
            "1.3.1.2 image/png attachment",
        ]
        #expect(got == want)
        #expect(message.attachments.map(\.path) == ["1.2", "1.3.1.2"])
        #expect(message.part(at: "1.2")?.content == Array("%PDF-1.4\n".utf8))
        #expect(message.part(at: "1.2")?.rawSize == 12)
        #expect(message.part(at: "1.2")?.decodedSize == 9)
        #expect(message.text(from: .header(name: "subject", path: "1.3.1")) == "forwarded")
        #expect(message.text(from: .body(path: "1.3.1.1")) == "forwarded body")
        #expect(message.text(from: .body(path: "1.1.2")) == "html body")
        #expect(message.problems.isEmpty, "\(message.problems)")
        #expect(!message.isIncomplete)
    }

    @Test func bareLineFeedsParseLikeCRLF() {
        let withLF = MIMEMessage(parsing: Array(Self.nested.utf8))
        let withCRLF = parse(Self.nested)
        #expect(withLF.parts.map(\.path) == withCRLF.parts.map(\.path))
        #expect(withLF.texts.map(\.text) == withCRLF.texts.map(\.text))
    }

    @Test func messageGlobalIsParsedAsMessage() {
        let message = parse(
            """
            Content-Type: message/global

            Subject: 机密 inside
            Content-Type: text/plain; charset=utf-8

            body
            """)
        #expect(message.parts.map(\.path) == ["1", "1.1"])
        #expect(message.text(from: .header(name: "subject", path: "1.1")) == "机密 inside")
    }

    @Test func preambleAndEpilogueAreScanned() {
        let message = parse(
            """
            Content-Type: multipart/mixed; boundary=b

            preamble secret
            --b

            part
            --b--
            epilogue secret
            """)
        #expect(message.text(from: .preamble(path: "1")) == "preamble secret")
        #expect(message.text(from: .epilogue(path: "1")) == "epilogue secret")
        #expect(message.text(from: .body(path: "1.1")) == "part")
    }

    @Test func missingClosingBoundaryStillEndsLastPart() throws {
        let message = parse(
            """
            Content-Type: multipart/mixed; boundary=b

            --b

            first
            --b
            Content-Type: text/plain

            last part secret
            """)
        #expect(message.parts.map(\.path) == ["1", "1.1", "1.2"])
        #expect(message.text(from: .body(path: "1.2")) == "last part secret")
        #expect(try #require(message.parts.first).flags.contains(.missingBoundary))
        #expect(message.problems.map(\.kind) == [.closingBoundaryMissing])
    }

    static let boundaries = [
        "=_NextPart 000_01C8.(x)+,./:?", "a", "----=_Part_1_2.3", "b'c", "  spaced  ", "é8bit",
    ]

    @Test(arguments: boundaries)
    func oddBoundaries(_ boundary: String) {
        let escaped = boundary.replacingOccurrences(of: "\"", with: "\\\"")
        let message = parse(
            """
            Content-Type: multipart/mixed;
             boundary="\(escaped)"

            --\(boundary)

            one
            --\(boundary)\t
            Content-Type: text/plain

            two
            --\(boundary)-- \("")
            """)
        #expect(
            message.parts.map(\.path) == ["1", "1.1", "1.2"],
            "boundary \(boundary.debugDescription)")
        #expect(message.text(from: .body(path: "1.2")) == "two")
    }

    @Test func boundaryPrefixIsNotADelimiter() {
        let message = parse(
            """
            Content-Type: multipart/mixed; boundary=b

            --b

            keep --bX and
            --bX
            still same part
            --b--
            """)
        #expect(message.parts.count == 2)
        #expect(message.text(from: .body(path: "1.1"))?.contains("still same part") == true)
    }

    @Test func duplicatedAndFoldedHeaders() {
        let message = parse(
            """
            Subject: first
            Subject: second
            To: a@example.com,
            \tb@example.com
            X-Long: folded
               value

            body
            """)
        #expect(message.subject == "first")
        #expect(message.texts.filter { $0.source == .subject }.map(\.text) == ["first", "second"])
        #expect(message.to == "a@example.com,\tb@example.com")
        #expect(message.header("x-long") == "folded   value")
    }

    @Test func eightBitHeaders() {
        var builder = MessageBuilder()
        builder.raw(
            Array("Subject: 机密 utf8\r\nComments: ".utf8) + [0xBB, 0xFA, 0xC3, 0xDC] + [0x0D, 0x0A])
        builder.lines(["", "body"])
        let message = builder.parsed()
        #expect(message.subject == "机密 utf8")
        #expect(message.header("comments") == "机密")
    }

    @Test func nulBytesAreTolerated() {
        var builder = MessageBuilder()
        builder.raw(
            Array("Subject: a".utf8) + [0] + Array("b\r\nContent-Type: text/plain\r\n\r\n".utf8))
        builder.raw(Array("sec".utf8) + [0, 0] + Array("ret".utf8))
        let message = builder.parsed()
        #expect(message.subject == "a\u{0}b")
        #expect(message.text(from: .body(path: "1")) == "sec\u{0}\u{0}ret")
    }

    @Test func partsWithoutHeaders() {
        let message = parse(
            """
            Content-Type: multipart/mixed; boundary=b

            --b

            blank line then body
            --b
            body starts at once
            --b--
            """)
        #expect(
            message.parts.map(\.contentType) == ["multipart/mixed", "text/plain", "text/plain"])
        #expect(message.text(from: .body(path: "1.1")) == "blank line then body")
        #expect(message.text(from: .body(path: "1.2")) == "body starts at once")
    }

    @Test func missingHeaderSeparatorIsReported() {
        let message = parse(
            """
            Subject: x
            this line is body text
            """)
        #expect(message.text(from: .body(path: "1")) == "this line is body text")
        #expect(message.problems.map(\.kind) == [.missingHeaderSeparator])
    }

    @Test func digestChildrenDefaultToMessages() {
        let message = parse(
            """
            Content-Type: multipart/digest; boundary=d

            --d

            Subject: one

            first
            --d--
            """)
        #expect(
            message.parts.map(\.contentType) == [
                "multipart/digest", "message/rfc822", "text/plain",
            ])
        #expect(message.text(from: .header(name: "subject", path: "1.1.1")) == "one")
    }

    @Test func multipartWithoutUsableBoundaryIsReadAsText() {
        for header in ["multipart/mixed", "multipart/mixed; boundary=zz"] {
            let message = parse("Content-Type: \(header)\n\n--other\n\nsecret text\n")
            #expect(message.parts.count == 1, "\(header)")
            #expect(
                message.text(from: .body(path: "1"))?.contains("secret text") == true, "\(header)")
            #expect(message.parts.first?.flags.contains(.missingBoundary) == true, "\(header)")
            #expect(message.parts.first?.role == .inlineText, "\(header)")
        }
    }

    @Test func invalidContentTypeFallsBackToTextPlain() {
        let message = parse("Content-Type: garbage\n\nhello\n")
        #expect(message.parts.first?.contentType == "text/plain")
        #expect(message.text(from: .body(path: "1")) == "hello\r\n")
    }

    @Test func base64EncodedMessagePartIsDecodedThenParsed() {
        let inner = base64(Array("Subject: inner secret\r\n\r\nhidden body\r\n".utf8))
        let message = parse(
            """
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: message/rfc822
            Content-Transfer-Encoding: base64

            \(inner)
            --b--
            """)
        #expect(message.text(from: .header(name: "subject", path: "1.1.1")) == "inner secret")
        #expect(message.text(from: .body(path: "1.1.1")) == "hidden body\r\n")
    }

    @Test func veryLongLinesAreHandled() {
        let long = String(repeating: "x", count: 3 << 20)
        let message = parse("Subject: short\nX-Long: \(long)\n\n\(long)机密\n")
        #expect(message.subject == "short")
        #expect(message.text(from: .body(path: "1"))?.hasSuffix("机密\r\n") == true)
        #expect(message.limitHits.map(\.limit) == [.headerBytes])
        #expect(message.text(from: .unparsed(path: "1"))?.utf8.count == (3 << 20) + 10)
    }

    @Test func formatFlowedLinesAreJoined() {
        let message = parse(
            """
            Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes

            这是机 
            密文件 
            内容
            > quoted 
            > line
            -- 
            sig
            """)
        #expect(message.text(from: .body(path: "1")) == "这是机密文件内容\n> quotedline\n-- \nsig")
    }

    @Test func rawBufferEntryPointMatchesArrayEntryPoint() {
        let bytes = crlf(Self.nested)
        let fromArray = MIMEMessage(parsing: bytes)
        let fromBuffer = bytes.withUnsafeBytes { MIMEMessage(parsing: $0) }
        #expect(fromArray.parts.map(\.path) == fromBuffer.parts.map(\.path))
        #expect(fromArray.texts == fromBuffer.texts)
    }
}
