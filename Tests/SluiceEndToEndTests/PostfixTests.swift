// Sluice behind a real Postfix: a private instance on loopback with `smtpd_milters` pointing
// at the real daemon and smtp-sink as the next hop. The tests assert what the SMTP client
// was told and what the sink received.

import Foundation
import SluiceTestSupport
import Testing

@Suite(.serialized) struct PostfixTests {
    static let keywords = "[detect]\nkeywords = Project Nightingale, 绝密文件\n"

    static func message(id: String, subject: String, body: String) -> String {
        [
            "From: Alice <alice@example.com>",
            "To: Bob <bob@example.net>",
            "Subject: \(subject)",
            "Message-ID: <\(id)@example.com>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "",
            body,
        ].joined(separator: "\r\n") + "\r\n"
    }

    /// The body of a message as it travels: everything after the first empty line.
    static func body(_ message: String) -> [UInt8] {
        let bytes = SMTPClient.canonicalForm(message)
        for index in 0..<(bytes.count - 3)
        where bytes[index..<(index + 4)].elementsEqual([13, 10, 13, 10]) {
            return Array(bytes[(index + 4)...])
        }
        return []
    }

    func withSluice<T>(
        sections: String = Self.keywords, milter: [String] = [],
        _ body: (SluiceDaemon, PrivatePostfix, SMTPSink) throws -> T
    ) throws -> T {
        let daemon = try SluiceDaemon(sections: sections, milter: milter)
        defer { daemon.stop() }
        return try withMailPath(configure: { $0.milters = daemon.socketSpec }) { postfix, sink in
            try body(daemon, postfix, sink)
        }
    }

    @Test func blockedKeywordIsRefusedAndCleanMailArrivesIntact() throws {
        try self.withSluice { daemon, postfix, sink in
            let client = try SMTPClient(port: postfix.port)
            let dirty = Self.message(
                id: "dirty", subject: "plans", body: "The 绝密文件 for Project Nightingale.")
            let refused = try client.send(
                message: dirty, from: "alice@example.com", to: ["bob@example.net"])
            #expect(refused.code == 550, "got \(refused)")
            #expect(refused.enhancedStatus == "5.7.1")
            let reference = try #require(
                refused.text.firstMatch(of: /\(ref ([0-9A-Z]{8})\)/)?.output.1,
                "no reference id in \(refused.text)")
            #expect(daemon.log.contains("action=reject rules=config-keywords ref=\(reference)"))

            let cleanText = Self.message(
                id: "clean", subject: "lunch",
                body: "Noon?\r\n.leading dot\r\n\r\nGrüße, 你好   \r\n-- \r\nAlice")
            let accepted = try client.send(
                message: cleanText, from: "alice@example.com", to: ["bob@example.net"])
            try client.quit()
            #expect(accepted.code == 250, "got \(accepted)")

            try postfix.waitUntilQueueEmpty(timeout: 30)
            let received = try sink.waitForMessages(count: 1, timeout: 10)
            #expect(received.count == 1, "the refused message must not reach the sink")
            #expect(received.first?.headerValue("Message-ID") == "<clean@example.com>")
            #expect(received.first?.body == Self.body(cleanText), "body changed on the way")
        }
    }

    @Test func largeMessageIsSpooledAndDeliveredIntact() throws {
        try self.withSluice(milter: ["memory_limit = 256KB"]) { daemon, postfix, sink in
            let line = String(repeating: "0123456789abcdef", count: 4) + "\r\n"
            let text = Self.message(
                id: "large", subject: "big", body: String(repeating: line, count: 50_000))
            let client = try SMTPClient(port: postfix.port)
            let reply = try client.send(
                message: text, from: "alice@example.com", to: ["bob@example.net"])
            try client.quit()
            #expect(reply.code == 250, "got \(reply)")
            try postfix.waitUntilQueueEmpty(timeout: 60)
            let received = try sink.waitForMessages(count: 1, timeout: 10)
            #expect(received.first?.body == Self.body(text))
            #expect(daemon.log.contains("action=accept"))
        }
    }

    /// Postfix tempfails when the milter dies; no message the client saw accepted may be lost.
    @Test func killedMilterLosesNoMail() throws {
        try self.withSluice { daemon, postfix, sink in
            let total = 4 * 40
            let accepted = Locked(0)
            let killer = Thread {
                _ = waitFor(timeout: 60) { accepted.current >= 30 }
                daemon.signal(SIGKILL)
            }
            killer.start()
            let outcomes = try runOnThreads(4, timeout: 120) { thread -> [(String, Int)] in
                var results: [(String, Int)] = []
                var client = try SMTPClient(port: postfix.port)
                for index in 0..<40 {
                    let id = "t\(thread)-m\(index)"
                    let text = Self.message(id: id, subject: id, body: "Message \(id).")
                    var code = 0
                    do {
                        code = try client.send(
                            message: text, from: "alice@example.com", to: ["bob@example.net"]
                        ).code
                    } catch {
                        // The server hung up: the client still holds the message.
                        client.close()
                        client = try SMTPClient(port: postfix.port)
                    }
                    if code == 250 {
                        accepted.withLock { $0 += 1 }
                    }
                    results.append((id, code))
                }
                _ = try? client.quit()
                return results
            }

            let all = outcomes.flatMap { $0 }
            #expect(all.count == total)
            let delivered = all.filter { $0.1 == 250 }.map(\.0)
            let deferred = all.filter { $0.1 != 250 }
            #expect(!delivered.isEmpty && !deferred.isEmpty, "the kill landed mid-run")
            #expect(
                deferred.allSatisfy { $0.1 == 0 || (400..<500).contains($0.1) },
                "non-accepted answers must be temporary: \(deferred)")

            try postfix.waitUntilQueueEmpty(timeout: 60)
            let received = try sink.waitForMessages(count: delivered.count, timeout: 20)
            let receivedIDs = Set(received.compactMap { $0.headerValue("Message-ID") })
            let expectedIDs = Set(delivered.map { "<\($0)@example.com>" })
            #expect(receivedIDs == expectedIDs, "every accepted message reaches the sink")
            #expect(received.count == delivered.count, "and only once")

            // A restarted Sluice takes mail again.
            try daemon.start()
            let client = try SMTPClient(port: postfix.port)
            let again = try client.send(
                message: Self.message(id: "again", subject: "again", body: "Back."),
                from: "alice@example.com", to: ["bob@example.net"])
            try client.quit()
            #expect(again.code == 250, "after restart: \(again)")
        }
    }

    static let actionPolicy = """
        [scope]
        internal_domains = example.com
        [detect]
        keywords = tempfail-me, monitor-me, hold-me, copy-me, outside-only
        [policy]
        keyword_action = accept
        split_recipients = yes
        [quarantine]
        mode = hold
        [rule later]
        when = keyword:config >= 1 and recipient.domain in (later.example.net)
        action = tempfail
        reply = 451 4.7.1 Try this one later
        [rule held]
        when = keyword:config >= 1 and recipient.domain in (held.example.net)
        action = quarantine
        [rule copy]
        when = keyword:config >= 1 and recipient.domain in (copy.example.net)
        action = accept
        bcc = compliance@example.com
        [rule outside]
        when = keyword:config >= 1 and recipients.external
          and recipient.domain in (split.example.net)
        action = reject
        """

    /// One message per action through Postfix: what the client is told and what the sink
    /// gets.
    @Test func everyActionThroughPostfix() throws {
        try self.withSluice(sections: Self.actionPolicy) { daemon, postfix, sink in
            let client = try SMTPClient(port: postfix.port)
            func send(_ id: String, to recipients: [String]) throws -> SMTPResponse {
                try client.send(
                    message: Self.message(id: id, subject: id, body: "keyword copy-me"),
                    from: "alice@example.com", to: recipients)
            }
            let later = try send("later", to: ["x@later.example.net"])
            #expect(later.code == 451 && later.enhancedStatus == "4.7.1", "\(later)")
            #expect(later.text.hasPrefix("Try this one later (ref "))

            let held = try send("held", to: ["x@held.example.net"])
            #expect(held.code == 250, "quarantined mail is accepted from the client: \(held)")

            let copied = try send("copied", to: ["x@copy.example.net"])
            #expect(copied.code == 250)

            let split = try send("split", to: ["colleague@example.com", "x@split.example.net"])
            #expect(split.code == 250, "\(split)")
            try client.quit()

            try postfix.waitUntilQueueEmpty(timeout: 30)
            let received = try sink.waitForMessages(count: 2, timeout: 20)
            let byID = Dictionary(
                grouping: received, by: { $0.headerValue("Message-ID") ?? "" })
            #expect(byID["<later@example.com>"] == nil)
            #expect(byID["<held@example.com>"] == nil, "held mail must not be delivered")
            #expect(
                Set(byID["<copied@example.com>"]?.flatMap(\.envelope.recipients) ?? [])
                    == ["x@copy.example.net", "compliance@example.com"])
            #expect(
                byID["<split@example.com>"]?.flatMap(\.envelope.recipients)
                    == ["colleague@example.com"])
            #expect(postfix.queueCounts().hold == 1, "the quarantined message waits on hold")
            #expect(daemon.log.contains("action=accept rules=outside,config-keywords removed=1"))
        }
    }

    @Test func monitorModeDeliversAndLogsWhatWouldHaveHappened() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let audit = directory.appending("audit.log")
        let sections =
            Self.actionPolicy.replacingOccurrences(
                of: "split_recipients = yes", with: "mode = monitor")
            + "\n[audit]\npath = \(audit)\n"
        try self.withSluice(sections: sections) { daemon, postfix, sink in
            let client = try SMTPClient(port: postfix.port)
            let reply = try client.send(
                message: Self.message(id: "m1", subject: "m", body: "keyword tempfail-me"),
                from: "alice@example.com", to: ["x@later.example.net"])
            try client.quit()
            #expect(reply.code == 250, "monitor mode blocks nothing: \(reply)")
            let received = try sink.waitForMessages(count: 1, timeout: 30)
            #expect(received.first?.headerValue("Message-ID") == "<m1@example.com>")
            #expect(daemon.log.contains("action=monitor would=tempfail rules=later"))
            let record = try String(contentsOfFile: audit, encoding: .utf8)
            #expect(record.contains("\"would_have\":\"tempfail\""))
            #expect(record.contains("\"action\":\"monitor\""))
        }
    }

    /// Past a per-hour limit a sender's messages are deferred, administrators hear once,
    /// other senders are unaffected, and the counts survive a restart.
    @Test func volumeLimitCatchesTheMessageThatCrossesIt() throws {
        try withSMTPSink { alerts in
            let sections = """
                [notify]
                admins = security@example.com
                relay = 127.0.0.1:\(alerts.port)
                [rule hourly-limit]
                when = sender.messages_last_hour > 3
                action = tempfail
                reply = 451 4.7.1 Sending limit reached, try later
                notify = admins
                """
            try self.withSluice(sections: sections) { daemon, postfix, _ in
                func send(_ sender: String, _ index: Int) throws -> Int {
                    let client = try SMTPClient(port: postfix.port)
                    defer { _ = try? client.quit() }
                    return try client.send(
                        message: Self.message(id: "v\(index)", subject: "v", body: "Hello."),
                        from: sender, to: ["x@other.net"]
                    ).code
                }
                let busy = try (1...6).map { try send("Busy+list@example.com", $0) }
                #expect(busy == [250, 250, 250, 451, 451, 451], "\(busy)")
                let quiet = try (7...8).map { try send("quiet@example.com", $0) }
                #expect(quiet == [250, 250])

                let received = try alerts.waitForMessages(count: 1, timeout: 20)
                Thread.sleep(forTimeInterval: 2)
                #expect(try alerts.messages().count == 1, "one alert, not one per message")
                #expect(received.first?.headerValue("Subject")?.contains("hourly-limit") == true)

                daemon.signal(SIGTERM)
                _ = daemon.waitForExit(timeout: 10)
                try daemon.start()
                #expect(try send("busy@example.com", 9) == 451, "counts survive a restart")
            }
        }
    }

    /// A quarantined message is stored, not delivered; a reviewer sees it, releases it
    /// once to its recipients with the original body, and cannot release it twice.
    @Test func quarantineHoldsAndReleasesExactlyOnce() throws {
        let store = try TemporaryDirectory(prefix: "sluice-quarantine-")
        defer { store.remove() }
        try withSMTPSink { released in
            let sections = """
                [detect]
                keywords = hold-me
                [policy]
                keyword_action = quarantine
                [quarantine]
                mode = store
                path = \(store.path)/q
                release_relay = 127.0.0.1:\(released.port)
                """
            try self.withSluice(sections: sections) { daemon, postfix, sink in
                let text = Self.message(
                    id: "q1", subject: "季度报表",
                    body: "Please hold-me.\r\n.dot line\r\nGrüße 你好\r\n")
                let client = try SMTPClient(port: postfix.port)
                let reply = try client.send(
                    message: text, from: "alice@example.com",
                    to: ["bob@example.net", "carol@example.org"])
                try client.quit()
                #expect(reply.code == 250, "the client sees its message accepted: \(reply)")
                try postfix.waitUntilQueueEmpty(timeout: 30)
                #expect(try sink.messages().isEmpty, "a quarantined message is not delivered")
                let reference = try #require(
                    daemon.log.firstMatch(
                        of: /action=quarantine rules=config-keywords ref=([0-9A-Z]{8})/)?
                        .output.1)
                let config = daemon.configPath

                let list = try SluiceBinary.run(["quarantine", "list", "--config", config])
                #expect(list.status == 0, "\(list.combinedOutput)")
                #expect(list.standardOutput.contains(String(reference)))
                let show = try SluiceBinary.run(
                    ["quarantine", "show", String(reference), "--config", config])
                #expect(show.standardOutput.contains("季度报表"))
                #expect(show.standardOutput.contains("config-keywords"))

                let first = try SluiceBinary.run(
                    ["quarantine", "release", String(reference), "--config", config])
                #expect(first.status == 0, "\(first.combinedOutput)")
                let delivered = try released.waitForMessages(count: 1, timeout: 20)
                #expect(delivered.first?.body == Self.body(text), "released body changed")
                #expect(
                    Set(delivered.first?.envelope.recipients ?? [])
                        == ["bob@example.net", "carol@example.org"])

                let second = try SluiceBinary.run(
                    ["quarantine", "release", String(reference), "--config", config])
                #expect(second.status != 0, "a second release must be refused")
                Thread.sleep(forTimeInterval: 1)
                #expect(try released.messages().count == 1)
            }
        }
    }

    /// SIGKILL at random moments while messages are quarantined: the store stays sound
    /// and every message the client saw accepted is in the store or at the sink.
    @Test func killedWhileQuarantiningLosesNothing() throws {
        let store = try TemporaryDirectory(prefix: "sluice-quarantine-")
        defer { store.remove() }
        let sections = """
            [detect]
            keywords = hold-me
            [policy]
            keyword_action = quarantine
            [quarantine]
            path = \(store.path)/q
            """
        try self.withSluice(sections: sections) { daemon, postfix, sink in
            let sending = Locked(true)
            let killer = Thread {
                var generator = SystemRandomNumberGenerator()
                while sending.current {
                    Thread.sleep(forTimeInterval: Double.random(in: 0.2...0.6, using: &generator))
                    daemon.signal(SIGKILL)
                    _ = daemon.waitForExit(timeout: 5)
                    Thread.sleep(forTimeInterval: 0.1)
                    try? daemon.start()
                }
            }
            killer.start()
            let results = try runOnThreads(3, timeout: 180) { thread -> [String] in
                var accepted: [String] = []
                for index in 0..<40 {
                    let id = "k\(thread)-\(index)"
                    let body = index % 3 == 0 ? "Clean text." : "Please hold-me."
                    guard let client = try? SMTPClient(port: postfix.port),
                        let reply = try? client.send(
                            message: Self.message(id: id, subject: id, body: body),
                            from: "alice@example.com", to: ["bob@example.net"])
                    else {
                        continue
                    }
                    _ = try? client.quit()
                    if reply.code == 250 {
                        accepted.append(id)
                    }
                }
                return accepted
            }
            sending.withLock { $0 = false }
            while killer.isExecuting {
                Thread.sleep(forTimeInterval: 0.05)
            }
            if !daemon.isRunning {
                try daemon.start()
            }
            let accepted = results.flatMap { $0 }
            try postfix.waitUntilQueueEmpty(timeout: 60)
            daemon.signal(SIGTERM)
            _ = daemon.waitForExit(timeout: 10)

            let integrity = try ProcessRunner.run(
                "python3",
                [
                    "-c",
                    "import sqlite3,sys; print(sqlite3.connect(sys.argv[1])"
                        + ".execute('PRAGMA integrity_check').fetchone()[0])",
                    "\(store.path)/q/quarantine.db",
                ])
            #expect(integrity.standardOutput == "ok\n", "\(integrity.combinedOutput)")
            let listed = try SluiceBinary.run(
                ["quarantine", "list", "--config", daemon.configPath, "--json", "--limit", "1000"])
            let delivered = Set(try sink.messages().compactMap { $0.headerValue("Message-ID") })
            for id in accepted {
                let atSink = delivered.contains("<\(id)@example.com>")
                let held = listed.standardOutput.contains("\(id)@example.com")
                #expect(atSink || held, "\(id) was accepted but is neither delivered nor held")
            }
            #expect(accepted.count >= 10, "only \(accepted.count) messages got through")
        }
    }

    /// A reload applies to the next message even on a connection opened before it.
    @Test func reloadAppliesToOpenConnections() throws {
        try self.withSluice(sections: "") { daemon, postfix, sink in
            let client = try SMTPClient(port: postfix.port)
            let text = Self.message(id: "r1", subject: "x", body: "About Project Nightingale.")
            let before = try client.send(
                message: text, from: "alice@example.com", to: ["bob@example.net"])
            #expect(before.code == 250, "no keywords configured yet: \(before)")

            let configuration = try String(contentsOfFile: daemon.configPath, encoding: .utf8)
            try (configuration + "\n" + Self.keywords).write(
                toFile: daemon.configPath, atomically: true, encoding: .utf8)
            daemon.signal(SIGHUP)
            try waitOrThrow("reload", timeout: 10) {
                daemon.log.contains("reload: configuration")
            }

            let after = try client.send(
                message: Self.message(id: "r2", subject: "x", body: "Project Nightingale."),
                from: "alice@example.com", to: ["bob@example.net"])
            let clean = try client.send(
                message: Self.message(id: "r3", subject: "x", body: "Nothing."),
                from: "alice@example.com", to: ["bob@example.net"])
            try client.quit()
            #expect(after.code == 550, "after reload: \(after)")
            #expect(clean.code == 250, "clean after reload: \(clean)")
            let received = try sink.waitForMessages(count: 2, timeout: 30)
            #expect(
                Set(received.compactMap { $0.headerValue("Message-ID") })
                    == ["<r1@example.com>", "<r3@example.com>"])
        }
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    /// `Fixtures/listener.py` running on a port; `stop` ends it and removes its log.
    struct Listener {
        let child: ChildProcess
        let log: TemporaryDirectory

        @discardableResult
        func stop(grace: TimeInterval) -> Int32? {
            defer { self.log.remove() }
            return self.child.stop(grace: grace)
        }
    }

    /// Starts `Fixtures/listener.py` in `mode` on a free port; returns it and the port.
    func listener(_ mode: String, directory: String? = nil) throws -> (Listener, UInt16) {
        let port = try FreePort.next()
        let log = try TemporaryDirectory(prefix: "sluice-listener-")
        let child = try ProcessRunner.start(
            "python3",
            ["\(Self.fixtures)/listener.py", mode, String(port)] + (directory.map { [$0] } ?? []),
            logPath: log.appending("log"))
        let listener = Listener(child: child, log: log)
        do {
            try waitOrThrow("\(mode) listener", timeout: 10) {
                SluiceDaemon.acceptsTCP(port: port)
            }
        } catch {
            listener.stop(grace: 1)
            throw error
        }
        return (listener, port)
    }

    @Test func notificationsReachAdministratorsAndWebhooks() throws {
        try withSMTPSink { notifications in
            let hooks = try TemporaryDirectory(prefix: "sluice-hooks-")
            defer { hooks.remove() }
            let (webhook, webhookPort) = try self.listener("webhook", directory: hooks.path)
            defer { _ = webhook.stop(grace: 1) }
            let sections =
                Self.keywords + """
                    [notify]
                    admins = security@example.com
                    relay = 127.0.0.1:\(notifications.port)
                    [webhook hook]
                    url = http://127.0.0.1:\(webhookPort)/sluice
                    [rule tell-security]
                    when = keyword:config >= 1
                    action = monitor
                    notify = admins, webhook:hook, sender
                    """
            try self.withSluice(sections: sections) { _, postfix, _ in
                let client = try SMTPClient(port: postfix.port)
                let reply = try client.send(
                    message: Self.message(id: "n1", subject: "plans", body: "Project Nightingale"),
                    from: "alice@example.com", to: ["bob@example.net"])
                try client.quit()
                #expect(reply.code == 550)
                let reference = try #require(
                    reply.text.firstMatch(of: /\(ref ([0-9A-Z]{8})\)/)?.output.1)

                let mail = try notifications.waitForMessages(count: 1, timeout: 20)
                #expect(mail.first?.envelope.recipients == ["security@example.com"])
                #expect(mail.first?.headerValue("Subject")?.contains(String(reference)) == true)

                try waitOrThrow("webhook call", timeout: 20) {
                    FileManager.default.fileExists(atPath: hooks.appending("1.json"))
                }
                let body = try Data(contentsOf: URL(fileURLWithPath: hooks.appending("1.json")))
                let object = try JSONSerialization.jsonObject(with: body) as? [String: Any]
                let events = object?["events"] as? [[String: Any]]
                #expect(events?.first?["ref"] as? String == String(reference))
                #expect(
                    events?.first?["rules"] as? [String] == ["tell-security", "config-keywords"])
                // No scope is configured, so the sender counts as external: no sender notice.
                Thread.sleep(forTimeInterval: 1)
                #expect(try notifications.messages().count == 1)
            }
        }
    }

    /// Notifications about personal data carry masked samples, never the value.
    @Test func notificationsCarryMaskedSamplesOnly() throws {
        let id = "11010519491231002X"
        try withSMTPSink { notifications in
            let hooks = try TemporaryDirectory(prefix: "sluice-hooks-")
            defer { hooks.remove() }
            let (webhook, webhookPort) = try self.listener("webhook", directory: hooks.path)
            defer { _ = webhook.stop(grace: 1) }
            let sections = """
                [notify]
                admins = dpo@example.com
                relay = 127.0.0.1:\(notifications.port)
                [webhook hook]
                url = http://127.0.0.1:\(webhookPort)/sluice
                format = wecom
                [rule personal-data]
                when = cn-resident-id >= 1 and recipients.external
                action = reject
                notify = admins, webhook:hook
                """
            try self.withSluice(sections: sections) { daemon, postfix, _ in
                let client = try SMTPClient(port: postfix.port)
                let reply = try client.send(
                    message: Self.message(id: "p1", subject: "名单", body: "身份证号 \(id)"),
                    from: "alice@example.com", to: ["bob@example.net"])
                try client.quit()
                #expect(reply.code == 550)
                let mail = try notifications.waitForMessages(count: 1, timeout: 20)
                let encoded = String(decoding: mail.first?.body ?? [], as: UTF8.self)
                    .replacingOccurrences(of: "\r\n", with: "")
                let text = Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) }
                #expect(text?.contains("cn-resident-id: 1 — 110105********002X") == true)
                #expect(text?.contains(id) == false)
                try waitOrThrow("webhook call", timeout: 20) {
                    FileManager.default.fileExists(atPath: hooks.appending("1.json"))
                }
                let hook = try String(contentsOfFile: hooks.appending("1.json"), encoding: .utf8)
                #expect(hook.contains("110105********002X"))
                #expect(!hook.contains(id))
                #expect(!daemon.log.contains(id), "the log must not carry the value")
            }
        }
    }

    @Test func mailFlowIsNotSlowedByHungNotificationTargets() throws {
        let (blackhole, port) = try self.listener("blackhole")
        defer { _ = blackhole.stop(grace: 1) }
        let sections =
            Self.keywords + """
                [notify]
                admins = security@example.com
                relay = 127.0.0.1:\(port)
                [webhook hook]
                url = http://127.0.0.1:\(port)/sluice
                [rule tell-security]
                when = keyword:config >= 1
                action = monitor
                notify = admins, webhook:hook
                """
        try self.withSluice(sections: sections) { daemon, postfix, _ in
            let client = try SMTPClient(port: postfix.port)
            let started = Date()
            for index in 0..<5 {
                let reply = try client.send(
                    message: Self.message(
                        id: "h\(index)", subject: "x", body: "Project Nightingale"),
                    from: "alice@example.com", to: ["bob@example.net"])
                #expect(reply.code == 550)
            }
            try client.quit()
            // Each notification attempt waits 30 s for a hung target; the mail did not.
            let elapsed = Date().timeIntervalSince(started)
            #expect(elapsed < 10, "5 messages took \(Int(elapsed)) s")
            #expect(daemon.isRunning)
        }
    }

    /// One SMTP session over the unix socket must not fall into the delayed-ACK pattern of
    /// small milter packets over TCP (about 90 ms per message); a generous bound guards it.
    @Test func oneSessionIsNotSlowedByTheMilterProtocol() throws {
        try self.withSluice { _, postfix, sink in
            let client = try SMTPClient(port: postfix.port)
            let count = 40
            let started = Date()
            for index in 0..<count {
                let reply = try client.send(
                    message: Self.message(id: "s\(index)", subject: "s", body: "Short."),
                    from: "alice@example.com", to: ["bob@example.net"])
                #expect(reply.code == 250)
            }
            let perMessage = Date().timeIntervalSince(started) / Double(count)
            try client.quit()
            #expect(perMessage < 0.05, "\(Int(perMessage * 1000)) ms per message")
            _ = try sink.waitForMessages(count: count, timeout: 30)
        }
    }
}
