// Shared pieces of the quarantine tests: a scratch store directory, a small message in wire
// form, and a record input describing it.

import Foundation
import SluiceTestSupport

@testable import SluiceStore

enum QuarantineFixtures {
    /// A fresh store directory under /tmp (removed by the caller's `defer`).
    static func scratch() throws -> TemporaryDirectory {
        try TemporaryDirectory(prefix: "sluice-quarantine-", mode: 0o700)
    }

    /// A message in wire form, with a line starting with a dot to exercise dot-stuffing.
    static func message(_ index: Int = 0) -> [UInt8] {
        let text =
            "From: Alice <alice@corp.example>\r\nTo: bob@partner.example\r\n"
            + "Subject: Q\(index) figures\r\nMessage-ID: <m\(index)@corp.example>\r\n\r\n"
            + "Card 4111 1111 1111 1111 for order \(index).\r\n.hidden dot line\r\nBye\r\n"
        return Array(text.utf8)
    }

    static func input(
        _ index: Int = 0, time: Date = Date(), sender: String = "alice@corp.example",
        rules: [String] = ["card-external"]
    ) -> QuarantineRecordInput {
        QuarantineRecordInput(
            time: time, queueID: "4Q\(index)ABC", messageID: "<m\(index)@corp.example>",
            sender: sender,
            recipients: [
                AuditRecipient(address: "bob@partner.example", external: true),
                AuditRecipient(address: "carol@corp.example", external: false),
            ],
            subject: "Q\(index) figures", size: self.message(index).count, rules: rules,
            findings: [
                AuditFinding(detector: "payment-card", count: 1, samples: ["4111********1111"])
            ],
            attachments: [
                AuditAttachment(name: "figures.xlsx", type: "application/xlsx", size: 812)
            ])
    }

    /// An id in the milter's format: 8 Crockford characters.
    static func id(_ index: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var value = index
        var characters: [Character] = []
        for _ in 0..<8 {
            characters.append(alphabet[value % 32])
            value /= 32
        }
        return String(characters.reversed())
    }

    /// Holds message `index` under `id(index)`.
    static func hold(
        _ store: QuarantineStore, _ index: Int, time: Date = Date(),
        sender: String = "alice@corp.example", rules: [String] = ["card-external"]
    ) throws {
        let bytes = self.message(index)
        try bytes.withUnsafeBytes { buffer in
            try store.hold(
                id: self.id(index), message: buffer,
                record: self.input(index, time: time, sender: sender, rules: rules))
        }
    }
}
