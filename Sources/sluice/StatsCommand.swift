// `sluice stats senders`: the busiest senders and their counters, from the state the daemon
// saves every [volume] save_interval and at shutdown.

import Foundation
import SluicePolicy

enum StatsCommand {
    static func run(_ arguments: [String]) throws(UsageError) -> Int32 {
        guard arguments.first == "senders" else {
            throw UsageError(message: "expected 'senders'")
        }
        let parsed = try CommandArguments(
            Array(arguments.dropFirst()), options: ["--config", "--top", "--window"],
            flags: ["--json"])
        guard parsed.positionals.isEmpty else {
            throw UsageError(message: "unexpected argument '\(parsed.positionals[0])'")
        }
        let top = try self.top(parsed.value("--top"))
        let window = try self.window(parsed.value("--window"))
        let configuration: Configuration
        do {
            configuration = try ConfigLoading.load(parsed.value("--config"), optional: true)
        } catch {
            Output.error("sluice: \(error)")
            return ExitCode.config
        }
        let counter = InMemoryVolumeCounter(
            anomalyFactor: configuration.volume.anomalyFactor,
            anomalyFloor: configuration.volume.anomalyFloor)
        let path = configuration.volume.stateFile
        do {
            try counter.load(from: path)
        } catch {
            Output.error("sluice: \(path): \(error)")
            return ExitCode.dataError
        }
        let senders = counter.top(top, window: window, at: Date())
        if parsed.has("--json") {
            self.printJSON(senders)
        } else {
            self.printTable(senders, window: window)
        }
        return ExitCode.success
    }

    static func top(_ text: String?) throws(UsageError) -> Int {
        guard let text else {
            return 20
        }
        guard let value = Int(text), value > 0 else {
            throw UsageError(message: "--top needs a positive number")
        }
        return value
    }

    static func window(_ text: String?) throws(UsageError) -> Int {
        switch text ?? "1h" {
        case "1m": return 60
        case "1h": return 3600
        case "1d": return 86_400
        default: throw UsageError(message: "--window is 1m, 1h or 1d")
        }
    }

    static func printJSON(_ senders: [SenderVolume]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        for sender in senders {
            if let data = try? encoder.encode(sender) {
                Output.print(String(decoding: data, as: UTF8.self))
            }
        }
    }

    static func printTable(_ senders: [SenderVolume], window: Int) {
        guard !senders.isEmpty else {
            Output.print("no sender sent mail in that window")
            return
        }
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width
                ? String(text.prefix(width))
                : text + String(repeating: " ", count: width - text.count)
        }
        var lines = [
            pad("SENDER", 36) + pad("MIN", 6) + pad("HOUR", 7) + pad("DAY", 8) + pad("EXT/H", 7)
                + pad("DOMAINS/D", 10) + pad("BLOCKED/D", 10) + "ANOMALY"
        ]
        for entry in senders {
            let facts = entry.facts
            lines.append(
                pad(entry.sender, 36) + pad(String(facts.messagesLastMinute), 6)
                    + pad(String(facts.messagesLastHour), 7) + pad(String(facts.messagesLastDay), 8)
                    + pad(String(facts.externalRecipientsLastHour), 7)
                    + pad(String(facts.externalDomainsLastDay), 10)
                    + pad(String(facts.blockedLastDay), 10) + (facts.rateAnomaly ? "yes" : ""))
        }
        Output.print(lines.joined(separator: "\n"))
    }
}
