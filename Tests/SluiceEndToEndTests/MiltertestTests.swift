// Drives the real `sluice milter` with OpenDKIM's miltertest: every protocol stage, custom
// replies, aborts and disconnects mid-message, added headers, the on_error answer, and
// many connections at once.

import Foundation
import SluiceTestSupport
import Testing

@Suite(.serialized) struct MiltertestTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    static let keywords = "[detect]\nkeywords = Project Nightingale\n"

    func run(
        _ script: String, against daemon: SluiceDaemon, environment: [String: String] = [:]
    ) throws {
        let result = try ProcessRunner.run(
            "miltertest", ["-s", "\(Self.fixtures)/\(script)"],
            environment: [
                "SLUICE_SOCKET": daemon.socketSpec, "FIXTURES": Self.fixtures,
                "PATH": "/usr/bin:/bin",
            ].merging(environment) { $1 }, timeout: 60)
        #expect(
            result.status == 0,
            "miltertest \(script): \(result.combinedOutput)\nmilter log:\n\(daemon.log)")
        #expect(daemon.isRunning, "sluice exited during \(script):\n\(daemon.log)")
    }

    @Test func everyStageAndKeywordReply() throws {
        let daemon = try SluiceDaemon(sections: Self.keywords, milter: ["memory_limit = 4KB"])
        defer { daemon.stop() }
        try self.run("stages.lua", against: daemon)
        #expect(daemon.log.contains("CLEAN1: action=accept"))
        #expect(daemon.log.contains("DIRTY1: action=reject rules=config-keywords ref="))
    }

    @Test func abortAndDisconnectMidBody() throws {
        let daemon = try SluiceDaemon(sections: Self.keywords)
        defer { daemon.stop() }
        try self.run("abort.lua", against: daemon)
        #expect(!daemon.log.contains("ABORT1:"), "an aborted message has no decision")
        #expect(daemon.log.contains("AFTER1: action=accept"))
        #expect(daemon.log.contains("NEXT1: action=accept"))
    }

    @Test func addsHeaderWhenConfigured() throws {
        let daemon = try SluiceDaemon(sections: "[policy]\nadd_header = yes\n")
        defer { daemon.stop() }
        try self.run("header.lua", against: daemon)
    }

    @Test func internalFailureIsAnsweredWithOnErrorAction() throws {
        let daemon = try SluiceDaemon(milter: ["memory_limit = 1KB"])
        defer { daemon.stop() }
        try FileManager.default.removeItem(atPath: daemon.directory.appending("spool"))
        try self.run("tempfail.lua", against: daemon)
        #expect(daemon.log.contains("FAIL1: error=<spool: cannot create a file in"))
        #expect(daemon.log.contains("action=tempfail on_error ref="))
    }

    @Test func manyConnectionsAtOnce() throws {
        let daemon = try SluiceDaemon(sections: Self.keywords)
        defer { daemon.stop() }
        try self.run("connections.lua", against: daemon)
        let decisions = daemon.log.split(separator: "\n").filter { $0.contains(": action=") }
        #expect(decisions.count == 60)
        #expect(decisions.filter { $0.contains("action=reject") }.count == 12)
    }

    @Test func auditLogChainsEveryDecision() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let audit = directory.appending("audit.log")
        let daemon = try SluiceDaemon(sections: Self.keywords + "[audit]\npath = \(audit)\n")
        defer { daemon.stop() }
        try self.run("stages.lua", against: daemon)
        daemon.signal(SIGUSR1)
        try waitOrThrow("audit reopen", timeout: 10) { daemon.log.contains("audit: reopened") }

        let text = try String(contentsOfFile: audit, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].contains("\"queue_id\":\"CLEAN1\""))
        #expect(lines[1].contains("\"action\":\"reject\""))
        #expect(lines[1].contains("\"rules\":[\"config-keywords\"]"))
        #expect(lines[1].contains("\"message_id\":") == false, "the script sends no Message-ID")
        let verified = try SluiceBinary.run(["audit", "verify", audit])
        #expect(verified.status == 0, "\(verified.combinedOutput)")
        #expect(verified.standardOutput == "ok: 2 records, chain intact\n")

        try text.replacingOccurrences(of: "\"action\":\"reject\"", with: "\"action\":\"accept\"")
            .write(toFile: audit, atomically: true, encoding: .utf8)
        let tampered = try SluiceBinary.run(["audit", "verify", audit])
        #expect(tampered.status == 1)
        #expect(tampered.standardOutput.hasPrefix("broken: \(audit):2: ref "))
        #expect(tampered.standardOutput.contains("record edited"))
    }

    @Test func dictionaryChangesApplyWithoutRestart() throws {
        let dictionaries = try TemporaryDirectory(prefix: "sluice-dict-")
        defer { dictionaries.remove() }
        try "# Project code names\nunrelated words\n".write(
            toFile: dictionaries.appending("codenames.txt"), atomically: true, encoding: .utf8)
        let daemon = try SluiceDaemon(
            sections: """
                [detect]
                dictionaries = \(dictionaries.path)
                cache_directory =
                [rule codenames]
                when = keyword:codenames >= 1
                action = reject
                """)
        defer { daemon.stop() }
        let message = ["QUEUE_ID": "BEFORE1", "BODY": "Operation Nightjar begins"]
        try self.run("decide.lua", against: daemon, environment: message)
        #expect(daemon.log.contains("BEFORE1: action=accept"))

        let added = try SluiceBinary.run(
            ["dict", "--dictionaries", dictionaries.path, "add", "codenames", "operation nightjar"])
        #expect(added.status == 0, "\(added.combinedOutput)")
        try waitOrThrow("dictionary reload", timeout: 15) {
            daemon.log.contains("reload: configuration")
        }
        try self.run(
            "decide.lua", against: daemon,
            environment: ["QUEUE_ID": "AFTER1", "BODY": "Operation Nightjar begins"])
        #expect(daemon.log.contains("AFTER1: action=reject rules=codenames"))
    }

    @Test func statusAndMetricsMoveWithMail() throws {
        let port = try FreePort.next()
        let daemon = try SluiceDaemon(
            sections: Self.keywords + "[metrics]\nlisten = 127.0.0.1:\(port)\n")
        defer { daemon.stop() }
        try self.run("stages.lua", against: daemon)

        let status = try SluiceBinary.run(["status", "--config", daemon.configPath])
        #expect(status.status == 0, "\(status.combinedOutput)")
        #expect(status.standardOutput.contains("messages:      accept 1, reject 1"))
        #expect(status.standardOutput.contains("config:        \(daemon.configPath) sha256 "))

        let metrics = try ProcessRunner.run(
            "python3",
            [
                "-c",
                "import urllib.request; print(urllib.request.urlopen("
                    + "'http://127.0.0.1:\(port)/metrics').read().decode())",
            ])
        #expect(metrics.status == 0, "\(metrics.standardError)")
        #expect(metrics.standardOutput.contains("sluice_messages_total{action=\"reject\"} 1"))
        #expect(
            metrics.standardOutput.contains("sluice_rule_hits_total{rule=\"config-keywords\"} 1"))
        #expect(metrics.standardOutput.contains("sluice_scan_seconds_count 2"))

        daemon.signal(SIGTERM)
        _ = daemon.waitForExit(timeout: 10)
        let stopped = try SluiceBinary.run(["status", "--config", daemon.configPath])
        #expect(stopped.status == 3)
        #expect(stopped.standardError.hasPrefix("sluice: not running"))
    }

    @Test func stopsQuicklyAndRemovesSocket() throws {
        let daemon = try SluiceDaemon()
        defer { daemon.stop() }
        daemon.signal(SIGTERM)
        let status = daemon.waitForExit(timeout: 3)
        #expect(status == 0, "exit status after SIGTERM: \(String(describing: status))")
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
        #expect(daemon.log.contains("stopped"))
    }

    @Test func reloadSwapsConfigurationAndKeepsOldOnError() throws {
        let daemon = try SluiceDaemon()
        defer { daemon.stop() }
        let original = try String(contentsOfFile: daemon.configPath, encoding: .utf8)

        try (original + "\n" + Self.keywords).write(
            toFile: daemon.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        try waitOrThrow("reload", timeout: 10) { daemon.log.contains("reload: configuration") }
        try self.run("stages.lua", against: daemon)

        try (original + "\n[detect]\nkeywordz = x\n").write(
            toFile: daemon.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        try waitOrThrow("refused reload", timeout: 10) {
            daemon.log.contains("keeping the previous configuration")
        }
        #expect(daemon.log.contains("keywordz: unknown key in [detect]"))
        try self.run("stages.lua", against: daemon)
    }
}
