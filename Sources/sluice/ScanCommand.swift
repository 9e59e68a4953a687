// `sluice scan`: the daemon's inspection, offline, on stored messages. Prints a readable
// summary or, with --json, one JSON object per message (the stable machine interface).

import Foundation
import SluicePolicy
import SluiceScan

enum ScanCommand {
    /// One message's result as `--json` prints it.
    struct Result: Encodable {
        var file: String
        var action: String
        var reference: String
        var rules: [String]
        var findings: [Finding]
        var attachments: [AttachmentSummary]
    }

    static func run(_ arguments: [String]) throws(UsageError) -> Int32 {
        let parsed = try CommandArguments(arguments, options: ["--config"], flags: ["--json"])
        let inspector: PolicyInspector
        do {
            let configuration = try ConfigLoading.load(parsed.value("--config"), optional: true)
            inspector = try PolicyInspector(configuration: configuration)
        } catch {
            Output.error("sluice: \(error)")
            return ExitCode.config
        }
        let files = parsed.positionals.isEmpty ? ["-"] : parsed.positionals

        var status = ExitCode.success
        for file in files {
            guard let data = self.read(file) else {
                status = ExitCode.dataError
                continue
            }
            let inspection = data.withUnsafeBytes {
                inspector.inspect($0, envelope: Envelope())
            }
            self.report(file: file, inspection, json: parsed.has("--json"))
        }
        return status
    }

    static func read(_ file: String) -> Data? {
        if file == "-" {
            return FileHandle.standardInput.readDataToEndOfFile()
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? "cannot be read"
            Output.error("sluice: \(file): \(reason)")
            return nil
        }
    }

    static func report(file: String, _ inspection: Inspection, json: Bool) {
        let decision = inspection.decision
        let result = Result(
            file: file, action: decision.action.rawValue,
            reference: decision.reference.description, rules: decision.rules,
            findings: inspection.report.findings, attachments: inspection.report.attachments)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let data = try? encoder.encode(result) {
                Output.print(String(decoding: data, as: UTF8.self))
            }
            return
        }
        var text = "\(file): \(result.action)"
        if !result.rules.isEmpty {
            text += " (rules: \(result.rules.joined(separator: ", ")))"
        }
        for finding in result.findings {
            text += "\n  \(finding.detector): \(finding.count)"
            if !finding.samples.isEmpty {
                text += " [\(finding.samples.joined(separator: ", "))]"
            }
        }
        Output.print(text)
    }
}
