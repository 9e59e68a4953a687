// The message spool: bytes stay in memory below the limit, move to an unlinked file above
// it, and read back identical either way; header lines are rebuilt as received.

import Foundation
import Testing

@testable import SluiceMilter

@Suite struct MessageSpoolTests {
    @Test(arguments: [0, 10, 1000, 100_000])
    func readsBackWhatWasWritten(limit: Int) throws {
        let directory = NSTemporaryDirectory()
        let spool = MessageSpool(memoryLimit: limit, directory: directory)
        var expected: [UInt8] = []
        for index in 0..<300 {
            let chunk = Array("line \(index) 绝密\r\n".utf8)
            try spool.append(chunk)
            expected += chunk
        }
        #expect(spool.isSpooled == (expected.count > limit))
        let copy = try spool.withBytes { Array($0) }
        #expect(copy == expected)
        spool.discard()
        #expect(spool.count == 0)
    }

    @Test func spoolFileIsNotVisible() throws {
        let directory = NSTemporaryDirectory() + "spooltest-\(UUID().uuidString)"
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spool = MessageSpool(memoryLimit: 4, directory: directory)
        try spool.append(Array("more than four bytes".utf8))
        #expect(spool.isSpooled)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test func unwritableDirectoryIsAnError() {
        let spool = MessageSpool(memoryLimit: 1, directory: "/nonexistent/spool")
        #expect(throws: MilterError.self) { try spool.append(Array("abc".utf8)) }
    }

    @Test(arguments: [
        ("Subject", " hello", true, "Subject: hello\r\n"),
        ("Subject", "hello", false, "Subject: hello\r\n"),
        ("To", " a@x,\n\tb@y", true, "To: a@x,\r\n\tb@y\r\n"),
        ("X-Empty", "", true, "X-Empty:\r\n"),
    ])
    func headerLines(name: String, value: String, leadingSpace: Bool, expected: String) {
        let bytes = HeaderLine.bytes(name: name, value: value, leadingSpace: leadingSpace)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }
}
