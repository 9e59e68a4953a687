// Typed settings: defaults, every value type, and errors for unknown sections, unknown keys
// and bad values, each naming file, line and key.

import Foundation
import Testing

@testable import SluicePolicy

@Suite struct ConfigurationTests {
    @Test func defaultsAreSafe() {
        let configuration = Configuration.defaults()
        #expect(configuration.milter.socket == .unix(path: "/run/sluice/sluice.sock"))
        #expect(configuration.milter.onError == .tempfail)
        #expect(configuration.policy.rejectReply.code == 550)
        #expect(configuration.policy.rejectReply.enhancedCode == "5.7.1")
        #expect(configuration.policy.tempfailReply.code == 451)
        #expect(
            configuration.effectiveSettings.contains(
                EffectiveSetting(section: "milter", key: "on_error", value: "tempfail")))
    }

    @Test func readsEveryValueType() throws {
        let text = """
            [milter]
            socket = inet:8891@127.0.0.1
            socket_mode = 0640
            socket_group = postfix
            listen_backlog = 64
            timeout = 2m
            on_error = accept
            memory_limit = 512KB
            stop_timeout = 1500ms
            [log]
            target = stderr
            level = debug
            [detect]
            keywords = 绝密, "a, b", Project X
            [policy]
            keyword_action = tempfail
            reject_reply = 554 5.7.0 No
            add_header = yes
            """
        let configuration = try Configuration.parse(text, path: "t.conf")
        #expect(configuration.milter.socket == .inet(port: 8891, host: "127.0.0.1"))
        #expect(configuration.milter.socketMode == 0o640)
        #expect(configuration.milter.socketGroup == "postfix")
        #expect(configuration.milter.listenBacklog == 64)
        #expect(configuration.milter.timeout == 120)
        #expect(configuration.milter.onError == .accept)
        #expect(configuration.milter.memoryLimit == 512 * 1024)
        #expect(configuration.milter.stopTimeout == 1.5)
        #expect(configuration.log.target == .stderr)
        #expect(configuration.log.level == .debug)
        #expect(configuration.detect.keywords == ["绝密", "a, b", "Project X"])
        #expect(configuration.policy.keywordAction == .tempfail)
        #expect(
            configuration.policy.rejectReply
                == SMTPReply(
                    code: 554, enhancedCode: "5.7.0", text: "No"))
        #expect(configuration.policy.addHeader)
    }

    @Test(arguments: [
        ("[milter]\nsocket = unix:/x\nbogus = 1\n", "t.conf:3: bogus: unknown key in [milter]"),
        ("[nonsense]\n", "t.conf:1: unknown section [nonsense]"),
        ("[milter]\n[milter]\n", "t.conf:2: section [milter] given twice"),
        (
            "[milter]\nsocket = tcp:25\n",
            "t.conf:2: socket: expected unix:PATH, inet:PORT@HOST or inet6:PORT@HOST,"
                + " found 'tcp:25'"
        ),
        (
            "[milter]\nmemory_limit = lots\n",
            "t.conf:2: memory_limit: expected a size such as 512KB or 25MB, found 'lots'"
        ),
        (
            "[milter]\ntimeout = soon\n",
            "t.conf:2: timeout: expected a duration such as 30s or 2h, found 'soon'"
        ),
        (
            "[milter]\non_error = maybe\n",
            "t.conf:2: on_error: expected one of tempfail, accept, reject, found 'maybe'"
        ),
        (
            "[policy]\nreject_reply = 451 4.7.1 later\n",
            "t.conf:2: reject_reply: expected a 5xx reply such as '550 5.7.1 TEXT',"
                + " found '451 4.7.1 later'"
        ),
        (
            "[policy]\ntempfail_reply = 451 5.7.1 mixed\n",
            "t.conf:2: tempfail_reply: expected a 4xx reply such as '451 4.7.1 TEXT',"
                + " found '451 5.7.1 mixed'"
        ),
        (
            "[detect]\nkeywords = \"open\n",
            "t.conf:2: keywords: expected a comma-separated list, found '\"open'"
        ),
    ])
    func errorsNameFileLineAndKey(text: String, expected: String) {
        do {
            _ = try Configuration.parse(text, path: "t.conf")
            Issue.record("no error for \(text.debugDescription), want \(expected)")
        } catch {
            #expect(error.description == expected, "got \(error.description), want \(expected)")
        }
    }

    @Test func loadReportsUnreadableFile() {
        do {
            _ = try Configuration.load(path: "/nonexistent/sluice.conf")
            Issue.record("loading a missing file succeeded")
        } catch {
            #expect(error.description == "/nonexistent/sluice.conf: cannot read file")
        }
    }
}

@Suite struct ShippedConfigurationTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../deploy/sluice.conf").standardized.path

    @Test func shippedRulesAreTheBuiltInDefaults() throws {
        let shipped = try Configuration.load(path: Self.path)
        let defaults = Configuration.defaults()
        #expect(shipped.rules.count == 7)
        #expect(shipped.rules.map(\.name) == defaults.rules.map(\.name))
        for (file, builtIn) in zip(shipped.rules, defaults.rules) {
            #expect(file.when?.value == builtIn.when?.value, "rule \(file.name)")
            #expect(file.action == builtIn.action, "rule \(file.name)")
            #expect(file.reply == builtIn.reply, "rule \(file.name)")
            #expect(file.notify == builtIn.notify, "rule \(file.name)")
        }
    }
}
