// The `sluice` command as an administrator meets it: help, version, usage errors with exit
// 64, check-config naming file:line with exit 1, and scan's exit statuses and JSON.

import Foundation
import SluiceTestSupport
import Testing

@Suite struct CommandLineTests {
    @Test func helpAndVersion() throws {
        let help = try SluiceBinary.run(["--help"])
        #expect(help.status == 0)
        for command in ["milter", "scan", "check-config", "help"] {
            #expect(help.standardOutput.contains("  \(command) "), "--help lists \(command)")
        }
        let version = try SluiceBinary.run(["--version"])
        #expect(version.status == 0)
        #expect(version.standardOutput.hasPrefix("sluice "))
        let scanHelp = try SluiceBinary.run(["help", "scan"])
        #expect(scanHelp.status == 0)
        #expect(scanHelp.standardOutput.hasPrefix("Usage: sluice scan "))
    }

    @Test(arguments: [
        (["frobnicate"], "Error: unknown command 'frobnicate'"),
        (["scan", "--bogus"], "Error: unknown option '--bogus'"),
        (["milter", "--socket", "tcp:1"], "Error: --socket: expected unix:PATH"),
        (["check-config", "--config"], "Error: option --config needs a value"),
        (["help", "nothing"], "Error: no help for 'nothing'"),
        ([], "Error: no command given"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) throws {
        let result = try SluiceBinary.run(arguments)
        #expect(result.status == 64, "sluice \(arguments): got \(result.status), want 64")
        #expect(result.standardError.hasPrefix(message), "stderr: \(result.standardError)")
        #expect(result.standardError.contains("Usage: sluice"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test func checkConfigNamesFileAndLineOfUnknownKey() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("bad.conf")
        try "[milter]\nsocket = unix:/tmp/s.sock\n\n[policy]\nreject_replay = 550 5.7.1 x\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let result = try SluiceBinary.run(["check-config", "--config", path])
        #expect(result.status == 1)
        #expect(
            result.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
                == "sluice: \(path):5: reject_replay: unknown key in [policy]")
    }

    @Test func checkConfigPrintsEffectiveSettingsOfShippedConfig() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../deploy/sluice.conf").standardized.path
        let dictionaries = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../dictionaries").standardized.path
        let result = try SluiceBinary.run(
            ["check-config", "--config", path, "--dictionaries", dictionaries])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(
            result.standardOutput.contains("[rule personal-data-external]\naction = quarantine"))
        let missing = try SluiceBinary.run(["check-config", "--config", path])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("/etc/sluice/dictionaries"))
        #expect(
            result.standardOutput.contains(
                "[milter]\nsocket = unix:/var/spool/postfix/sluice/sluice.sock"))
        #expect(result.standardOutput.contains("on_error = tempfail"))
    }

    @Test func scanReportsVerdictsAndExitStatus() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = directory.appending("sluice.conf")
        try "[detect]\nkeywords = Project Nightingale, 绝密\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let dirty = directory.appending("dirty.eml")
        let clean = directory.appending("clean.eml")
        try "Subject: plans\r\n\r\nThe project nightingale budget.\r\n"
            .write(toFile: dirty, atomically: true, encoding: .utf8)
        try "Subject: lunch\r\n\r\nNoon?\r\n".write(
            toFile: clean, atomically: true, encoding: .utf8)

        let result = try SluiceBinary.run(["scan", "--config", config, "--json", dirty, clean])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        let second = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any]
        #expect(first?["file"] as? String == dirty)
        #expect(first?["action"] as? String == "reject")
        #expect(first?["rules"] as? [String] == ["config-keywords"])
        let findings = first?["findings"] as? [[String: Any]]
        #expect(findings?.first?["detector"] as? String == "keyword:config")
        #expect(findings?.first?["count"] as? Int == 1)
        #expect(second?["action"] as? String == "accept")
        #expect((second?["findings"] as? [Any])?.isEmpty == true)
        #expect((second?["attachments"] as? [Any])?.isEmpty == true)
    }

    @Test func scanReadsStandardInput() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = directory.appending("sluice.conf")
        try "[detect]\nkeywords = 绝密\n".write(toFile: config, atomically: true, encoding: .utf8)
        let result = try SluiceBinary.run(
            ["scan", "--config", config], input: Data("Subject: x\r\n\r\n绝密文件\r\n".utf8))
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("-: reject (rules: config-keywords)"))
    }

    @Test func scanOfUnreadableFileExits65AndScansTheRest() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clean = directory.appending("clean.eml")
        try "Subject: hi\r\n\r\nhello\r\n".write(toFile: clean, atomically: true, encoding: .utf8)
        let missing = directory.appending("missing.eml")
        let result = try SluiceBinary.run(["scan", "--config", "/dev/null", missing, clean])
        #expect(result.status == 65)
        #expect(result.standardError.hasPrefix("sluice: \(missing): "))
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(result.standardOutput.hasPrefix("\(clean): accept"))
    }

    @Test func scanWithBadConfigExits78() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = directory.appending("sluice.conf")
        try "[detect]\nkeyword = x\n".write(toFile: config, atomically: true, encoding: .utf8)
        let result = try SluiceBinary.run(["scan", "--config", config], input: Data())
        #expect(result.status == 78)
        #expect(result.standardError.contains("\(config):2: keyword: unknown key in [detect]"))
    }
}
