// `sluice scan`: the daemon's inspection, offline, on stored messages. Prints a readable
// summary, the text of every part (--text), or one JSON object per message (--json, the
// stable machine interface). --sender and --recipient set the envelope; without them it is
// taken from the From, To and Cc headers, so a policy can be replayed on stored mail.

import Foundation
import SluicePolicy
import SluiceScan

enum ScanCommand {
    /// One message's result as `--json` prints it.
    struct Result: Encodable {
        var file: String
        var action: String
        var wouldHave: String?
        var reference: String
        var rules: [String]
        var findings: [Finding]
        var attachments: [AttachmentSummary]
        var parts: [PartSummary]
        var incomplete: [String]

        enum CodingKeys: String, CodingKey {
            case file, action, wouldHave = "would_have", reference, rules, findings
            case attachments, parts, incomplete
        }
    }

    static func run(_ arguments: [String]) throws(UsageError) -> Int32 {
        let parsed = try CommandArguments(
            arguments, options: ["--config", "--dictionaries", "--sender", "--recipient"],
            flags: ["--json", "--text"])
        if parsed.has("--json") && parsed.has("--text") {
            throw UsageError(message: "--json and --text cannot be combined")
        }
        let inspector: PolicyInspector
        do {
            var configuration = try ConfigLoading.load(parsed.value("--config"), optional: true)
            ConfigLoading.applyDictionaries(parsed.value("--dictionaries"), to: &configuration)
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
            let inspection = data.withUnsafeBytes { bytes in
                let report = inspector.scanner.scan(bytes, keepTexts: parsed.has("--text"))
                let envelope = self.envelope(parsed, report: report)
                return Inspection(
                    report: report, decision: inspector.policy.decide(report, envelope: envelope))
            }
            if parsed.has("--text") {
                self.printTexts(file: file, inspection.report)
            } else {
                self.report(file: file, inspection, json: parsed.has("--json"))
            }
        }
        return status
    }

    /// The envelope from --sender/--recipient, else from the message's headers.
    static func envelope(_ parsed: CommandArguments, report: ScanReport) -> Envelope {
        let sender =
            parsed.value("--sender")
            ?? report.headerFrom.flatMap { Self.addresses(in: $0).first } ?? ""
        let recipients =
            parsed.values["--recipient"]
            ?? report.headerRecipients.flatMap(Self.addresses)
        return Envelope(sender: sender, recipients: recipients)
    }

    /// Addresses in a header value: `<…>` forms, else bare words with an `@`.
    static func addresses(in value: String) -> [String] {
        var found: [String] = []
        for item in value.split(separator: ",") {
            if let open = item.lastIndex(of: "<"), let close = item.lastIndex(of: ">"),
                open < close
            {
                found.append(String(item[item.index(after: open)..<close]))
            } else if let word = item.split(separator: " ").first(where: { $0.contains("@") }) {
                found.append(String(word))
            }
        }
        return found.filter { !$0.isEmpty }
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

    static func printTexts(file: String, _ report: ScanReport) {
        var text = "==> \(file)\n"
        for item in report.texts {
            text += "--- \(item.location)\n\(item.text)\n"
        }
        Output.print(text)
    }

    static func report(file: String, _ inspection: Inspection, json: Bool) {
        let decision = inspection.decision
        let report = inspection.report
        let result = Result(
            file: file, action: decision.action.rawValue,
            wouldHave: decision.intendedAction == decision.action
                ? nil : decision.intendedAction.rawValue,
            reference: decision.reference.description, rules: decision.rules,
            findings: report.findings, attachments: report.attachments, parts: report.parts,
            incomplete: report.incomplete)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let data = try? encoder.encode(result) {
                Output.print(String(decoding: data, as: UTF8.self))
            }
            return
        }
        var text = "\(file): \(result.action)"
        if let would = result.wouldHave {
            text += " (would \(would))"
        }
        if !result.rules.isEmpty {
            text += " (rules: \(result.rules.joined(separator: ", ")))"
        }
        for finding in result.findings {
            text += "\n  \(finding.detector): \(finding.count)"
            if !finding.samples.isEmpty {
                text += " [\(finding.samples.joined(separator: ", "))]"
            }
            text += " in \(finding.locations.joined(separator: ", "))"
        }
        for attachment in result.attachments {
            text += "\n  attachment \(attachment.path): \(attachment.detectedType ?? "?")"
            if !attachment.groups.isEmpty {
                text += " [\(attachment.groups.joined(separator: ", "))]"
            }
            if let problem = attachment.problem {
                text += " (\(problem))"
            }
        }
        for reason in result.incomplete {
            text += "\n  incomplete: \(reason)"
        }
        Output.print(text)
    }
}
