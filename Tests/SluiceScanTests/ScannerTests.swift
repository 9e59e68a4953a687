// The whole scan of real messages with the shipped dictionaries and default policy: text
// found in decoded bodies and nested archives, attachments typed by content, and the
// decision the default rules take for an external recipient.

import Foundation
import SluicePolicy
import SluiceScan
import SluiceTestSupport
import Testing

@Suite struct ScannerTests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let dictionaries = here.appendingPathComponent("../../dictionaries").standardized.path

    static let inspector: PolicyInspector? = {
        var configuration = Configuration.defaults()
        configuration.detect.dictionaries = dictionaries
        configuration.detect.cacheDirectory = nil
        return try? PolicyInspector(configuration: configuration)
    }()

    func inspect(_ name: String) throws -> Inspection {
        let built = try ProcessRunner.run(
            "python3", [Self.here.appendingPathComponent("make_message.py").path, name])
        #expect(built.status == 0, "\(built.standardError)")
        let inspector = try #require(Self.inspector, "the default policy does not compile")
        return Array(built.standardOutput.utf8).withUnsafeBytes {
            inspector.inspect(
                $0, envelope: Envelope(sender: "alice@example.com", recipients: ["bob@partner.net"])
            )
        }
    }

    @Test func keywordInAGBKBodyIsQuarantinedForExternalRecipients() throws {
        let inspection = try self.inspect("gbk-body")
        #expect(inspection.report.count(of: "keyword:confidential") >= 1)
        #expect(inspection.decision.action == .quarantine)
        #expect(inspection.decision.rules == ["confidential-external"])
    }

    @Test func messageReadOnlyInPartIsQuarantinedForExternalRecipients() throws {
        // A header block past the 1 MiB limit: the rest is read raw and the message is
        // incomplete, which the default policy holds for external recipients.
        let fold = "\r\n " + String(repeating: "x", count: 76)
        let message =
            "From: alice@example.com\r\nTo: bob@partner.net\r\nSubject: report\r\nX-Padding: x"
            + String(repeating: fold, count: 30_000) + "\r\n\r\nQuarterly figures attached.\r\n"
        let inspector = try #require(Self.inspector, "the default policy does not compile")
        let inspection = Array(message.utf8).withUnsafeBytes {
            inspector.inspect(
                $0, envelope: Envelope(sender: "alice@example.com", recipients: ["bob@partner.net"])
            )
        }
        #expect(!inspection.report.incomplete.isEmpty)
        #expect(inspection.decision.action == .quarantine)
        #expect(inspection.decision.rules == ["unscannable-external"])
    }

    @Test func residentIDInAZipInsideAZipIsFoundAndMasked() throws {
        let inspection = try self.inspect("nested-zip-id")
        let finding = try #require(
            inspection.report.findings.first { $0.detector == "cn-resident-id" })
        #expect(finding.count == 1)
        #expect(finding.samples == ["110105********002X"])
        #expect(finding.locations == ["1.2/inner.zip/名单.txt"])
        #expect(
            inspection.report.attachments.map(\.path)
                == ["1.2", "1.2/inner.zip", "1.2/inner.zip/名单.txt"])
        #expect(inspection.decision.action == .quarantine)
        #expect(inspection.decision.rules == ["personal-data-external"])
    }

    @Test func executableNamedLikeAPDFIsRejected() throws {
        let inspection = try self.inspect("renamed-exe")
        let attachment = try #require(inspection.report.attachments.first)
        #expect(attachment.name == "invoice.pdf")
        #expect(attachment.groups.contains("executable"))
        #expect(attachment.typeMismatch)
        #expect(inspection.decision.action == .reject)
        #expect(inspection.decision.reply?.text.hasPrefix("Executable attachments") == true)
    }

    @Test func cleanMessagePasses() throws {
        let inspection = try self.inspect("clean")
        #expect(inspection.report.findings.isEmpty)
        #expect(inspection.decision.action == .accept)
        #expect(inspection.decision.rules.isEmpty)
    }
}
