// The audit chain: records append with hashes, survive a restart and a rotation, and any
// edit, removal or insertion is found at the record where it happened.

import Foundation
import Testing

@testable import SluiceStore

@Suite struct AuditLogTests {
    func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "audit-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func entry(_ index: Int) -> AuditEntry {
        AuditEntry(
            reference: "REF\(index)0000".prefix(8).description, action: "quarantine",
            queueID: "Q\(index)", sender: "alice@example.com",
            recipients: [AuditRecipient(address: "bob@example.net", external: true)],
            findings: [AuditFinding(detector: "cn-resident-id", count: 1, samples: ["1101**"])],
            rules: ["personal-data-external"])
    }

    @Test func chainVerifiesAcrossRestartAndRotation() throws {
        let directory = try self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/audit.log"

        var log = try AuditLog(path: path)
        for index in 0..<3 {
            try log.append(self.entry(index))
        }
        log = try AuditLog(path: path)
        try log.append(self.entry(3))

        let rotated = directory + "/audit.log.1"
        try FileManager.default.moveItem(atPath: path, toPath: rotated)
        try log.reopen()
        try log.append(self.entry(4))

        let both = try AuditChain.verify(paths: [rotated, path])
        #expect(both.broken == nil, "\(String(describing: both.broken))")
        #expect(both.intact == 5)
        let lines = try String(contentsOfFile: rotated, encoding: .utf8).split(separator: "\n")
        #expect(lines[0].contains("\"prev\":\"\(AuditLog.origin)\""))
        #expect(lines[0].hasPrefix("{\"hash\":\""))
        #expect(lines[0].contains("\"ref\":\"REF00000\""))
    }

    @Test(arguments: ["edit", "remove", "insert"])
    func tamperingIsFoundWhereItHappened(kind: String) throws {
        let directory = try self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/audit.log"
        let log = try AuditLog(path: path)
        for index in 0..<5 {
            try log.append(self.entry(index))
        }
        var lines = try String(contentsOfFile: path, encoding: .utf8)
            .split(separator: "\n").map(String.init)
        switch kind {
        case "edit":
            lines[2] = lines[2].replacingOccurrences(of: "quarantine", with: "accept")
        case "remove":
            lines.remove(at: 2)
        default:
            lines.insert(lines[1], at: 2)
        }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: path, atomically: true, encoding: .utf8)

        let result = try AuditChain.verify(paths: [path])
        let broken = try #require(result.broken)
        #expect(broken.line == 3, "\(kind): \(broken)")
        #expect(result.intact == 2)
        if kind == "edit" {
            #expect(broken.reason.contains("record edited"))
            #expect(broken.reference == "REF20000")
        } else {
            #expect(broken.reason.contains("removed or inserted"))
        }
    }

    /// The record text says what JSONEncoder would: same keys and values, nil fields absent,
    /// awkward characters escaped.
    @Test func recordReadsAsTheEncodedEntry() throws {
        let entry = AuditEntry(
            time: Date(timeIntervalSince1970: 1_796_329_999.75), reference: "AB12CD34",
            action: "reject", queueID: "4F1A2B", messageID: "<a\"b\\c@例子.cn>",
            sender: "张三 <zhang@example.com>",
            recipients: [
                AuditRecipient(address: "x/y@example.net", external: true),
                AuditRecipient(address: "me@example.com", external: false),
            ],
            size: 20_480,
            attachments: [AuditAttachment(name: "报告\t1.docx", type: "application/zip", size: 7)],
            findings: [AuditFinding(detector: "keyword:机密", count: 2, samples: ["…机密…", "\u{1}"])],
            rules: ["a", "b"], wouldHave: "tempfail", scanMilliseconds: 3.25, comment: "line\nbreak"
        )
        let body = AuditJSON.body(of: entry, previous: "0000")
        let written = try #require(
            try JSONSerialization.jsonObject(with: Data([0x7B] + body + [0x7D])) as? NSDictionary)

        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        var expected = try #require(
            try JSONSerialization.jsonObject(with: encoder.encode(entry)) as? [String: Any])
        expected["prev"] = "0000"
        #expect(written == expected as NSDictionary)
        #expect(written["time"] as? String == "2026-12-03T20:33:19Z")
        #expect(written["user"] == nil)
        #expect(String(decoding: body.prefix(9), as: UTF8.self) == "\"action\":")
    }
}
