// Damaged and hostile input: unterminated multiparts, bad base64, deep nesting and huge part
// counts are parsed within the limits, flagged, and never crash or hang.

import Foundation
import Testing

@testable import SluiceMIME

@Suite struct DamagedInputTests {
    /// Generous for a debug build on a loaded machine; a release build is far faster.
    static let timeBudget = Duration.seconds(20)

    @Test func unterminatedMultipartKeepsEverything() {
        let message = parse(
            """
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: multipart/alternative; boundary=c

            --c
            Content-Type: text/plain

            inner secret
            """)
        #expect(message.parts.map(\.path) == ["1", "1.1", "1.1.1"])
        #expect(message.text(from: .body(path: "1.1.1")) == "inner secret")
        #expect(message.problems.filter { $0.kind == .closingBoundaryMissing }.count == 2)
    }

    @Test func badBase64IsDecodedAsFarAsPossible() throws {
        let message = parse(
            """
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: base64

            5py6 5a+G@@@ ###
            !!!
            """)
        #expect(message.text(from: .body(path: "1")) == "机密")
        #expect(try #require(message.parts.first).flags.contains(.malformedBase64))
    }

    static func nestedMultiparts(_ levels: Int) -> [UInt8] {
        var text = "Content-Type: multipart/mixed; boundary=b0\n\n"
        for level in 1..<levels {
            text += "--b\(level - 1)\nContent-Type: multipart/mixed; boundary=b\(level)\n\n"
        }
        text += "--b\(levels - 1)\nContent-Type: text/plain\n\ndeep secret\n"
        return crlf(text)
    }

    @Test func depthLimitIsCappedToProtectTheStack() {
        let limits = MIMELimits(maxDepth: 1_000_000)
        #expect(limits.maxDepth == MIMELimits.depthCeiling)
        var raised = MIMELimits()
        raised.maxDepth = 1_000_000
        let message = MIMEMessage(parsing: Self.nestedMultiparts(2_000), limits: raised)
        #expect(message.parts.count == MIMELimits.depthCeiling)
        #expect(message.allText.contains("deep secret"))
    }

    @Test func tenThousandNestedMultipartsStopAtDepthLimit() {
        let bytes = Self.nestedMultiparts(10_000)
        let clock = ContinuousClock()
        var message: MIMEMessage?
        let elapsed = clock.measure { message = MIMEMessage(parsing: bytes) }
        #expect(elapsed < Self.timeBudget)
        guard let message else { return }
        let limits = MIMELimits()
        #expect(message.isIncomplete)
        #expect(message.limitHits.map(\.limit) == [.depth])
        #expect(message.parts.count == limits.maxDepth)
        #expect(
            message.allText.contains("deep secret"), "content below the limit is kept as raw text")
    }

    @Test func hundredThousandPartsStopAtPartLimit() {
        var text = "Content-Type: multipart/mixed; boundary=b\n\n"
        for number in 0..<100_000 {
            text += "--b\n\npart \(number)\n"
        }
        text += "--b--\n"
        let bytes = Array(text.utf8)
        let clock = ContinuousClock()
        var message: MIMEMessage?
        let elapsed = clock.measure { message = MIMEMessage(parsing: bytes) }
        #expect(elapsed < Self.timeBudget)
        guard let message else { return }
        #expect(message.parts.count == MIMELimits().maxParts)
        #expect(message.limitHits.map(\.limit) == [.parts])
        #expect(message.text(from: .unparsed(path: "1"))?.contains("part 99999") == true)
    }

    @Test func decodedBytesLimitTruncatesAndFlags() throws {
        let payload = base64([UInt8](repeating: 0x41, count: 10_000))
        let message = parse(
            """
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain
            Content-Transfer-Encoding: base64

            \(payload)
            --b
            Content-Type: text/plain

            second
            --b--
            """, limits: MIMELimits(maxDecodedBytes: 4_000))
        let first = try #require(message.part(at: "1.1"))
        #expect(first.decodedSize == 4_000)
        #expect(first.flags.contains(.truncated))
        #expect(message.limitHits.map(\.limit) == [.decodedBytes])
        #expect(message.part(at: "1.2")?.flags.contains(.truncated) == true)
    }

    @Test func headerBytesLimitKeepsOverflowAsText() {
        var text = "Subject: kept\n"
        for number in 0..<200 {
            text += "X-Filler-\(number): \(String(repeating: "f", count: 50))\n"
        }
        text += "X-Late: late secret\n\nbody\n"
        let message = parse(text, limits: MIMELimits(maxHeaderBytes: 2_000))
        #expect(message.subject == "kept")
        #expect(message.limitHits.map(\.limit) == [.headerBytes])
        #expect(message.text(from: .unparsed(path: "1"))?.contains("late secret") == true)
        #expect(message.text(from: .body(path: "1")) == "body\r\n")
    }

    @Test(arguments: [
        "", "\n", "\r\n\r\n", "Subject", ":",
        "Content-Type: multipart/mixed; boundary=\"\"\n\n--\n",
        "Content-Type: multipart/mixed; boundary=b\n\n--b", "Content-Type: message/rfc822\n\n",
        "Content-Transfer-Encoding: base64\n\n=", "=?utf-8?B?", "Content-Type: text/html\n\n<",
        "Content-Type: text/html\n\n&#", "Content-Type: text/html\n\n<a href=\"",
        "Content-Type: text/plain\n\nbegin 644 x\nM",
    ])
    func truncatedInputsDoNotCrash(_ text: String) {
        let message = parse(text)
        #expect(message.parts.count >= 1)
    }

    @Test func everyTruncationOfANestedMessageParses() {
        let bytes = crlf(StructureTests.nested)
        for length in 0...bytes.count {
            let message = MIMEMessage(parsing: Array(bytes.prefix(length)))
            #expect(message.parts.first?.path == "1", "prefix of \(length) bytes")
        }
    }

    @Test func mutatedCorpusMessagesParse() throws {
        guard let files = PythonCorpus.messageFiles else { return }
        var generator = SystemRandomNumberGenerator()
        let markers = Array("-\r\n:;=\"?<&".utf8)
        for file in files {
            let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
            guard !original.isEmpty else { continue }
            for _ in 0..<10 {
                var bytes = original
                for _ in 0..<8 {
                    let position = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[position] =
                        Bool.random(using: &generator)
                        ? markers[Int.random(in: 0..<markers.count, using: &generator)]
                        : UInt8.random(in: 0...255, using: &generator)
                }
                #expect(MIMEMessage(parsing: bytes).parts.count >= 1)
            }
        }
    }

    @Test func randomBytesDoNotCrash() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("-=?\r\n:;\"bB<>&#abcontent-type: multipart/mixed boundary\u{0}".utf8)
        for _ in 0..<200 {
            let length = Int.random(in: 0...2_000, using: &generator)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator)
                    ? alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
                    : UInt8.random(in: 0...255, using: &generator)
            }
            let message = MIMEMessage(parsing: bytes)
            #expect(message.parts.count >= 1)
        }
    }
}
