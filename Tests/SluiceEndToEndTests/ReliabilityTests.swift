// Faults around a real Postfix: a quarantine that cannot write, a stalled or absent milter,
// reloads under load and many sessions at once. In every case each message is delivered,
// held, or answered with a temporary failure the client will retry; none is lost.

import Foundation
import SluiceTestSupport
import Testing

@Suite(.serialized) struct ReliabilityTests {
    static func message(_ id: String, body: String = "Hello.") -> String {
        "From: <alice@example.com>\r\nTo: <bob@example.net>\r\nSubject: \(id)\r\n"
            + "Message-ID: <\(id)@example.com>\r\n\r\n\(body)\r\n"
    }

    func send(_ id: String, body: String = "Hello.", port: UInt16) throws -> SMTPResponse {
        let client = try SMTPClient(port: port)
        defer { _ = try? client.quit() }
        return try client.send(
            message: Self.message(id, body: body), from: "alice@example.com",
            to: ["bob@example.net"])
    }

    @Test func quarantineThatCannotWriteTempfails() throws {
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
        let daemon = try SluiceDaemon(sections: sections)
        defer { daemon.stop() }
        try withMailPath(configure: { $0.milters = daemon.socketSpec }) { postfix, sink in
            // Stand-in for a full disk: the messages folder is a file now.
            let messages = store.appending("q/messages")
            try FileManager.default.removeItem(atPath: messages)
            try Data().write(to: URL(fileURLWithPath: messages))
            let failed = try self.send("full", body: "hold-me", port: postfix.port)
            #expect((400..<500).contains(failed.code), "got \(failed)")
            #expect(daemon.log.contains("action=tempfail on_error"), "\(daemon.log)")

            try FileManager.default.removeItem(atPath: messages)
            try FileManager.default.createDirectory(
                atPath: messages, withIntermediateDirectories: true)
            let held = try self.send("fixed", body: "hold-me", port: postfix.port)
            #expect(held.code == 250)
            try postfix.waitUntilQueueEmpty(timeout: 30)
            #expect(try sink.messages().isEmpty)
        }
    }

    @Test func stalledOrAbsentMilterTempfailsAndRecovers() throws {
        let daemon = try SluiceDaemon()
        defer { daemon.stop() }
        try withMailPath(configure: {
            $0.milters = daemon.socketSpec
            $0.milterCommandTimeout = 2
            $0.milterContentTimeout = 3
        }) { postfix, sink in
            #expect(try self.send("before", port: postfix.port).code == 250)

            #expect(daemon.stall())
            let stalled = try self.send("stalled", port: postfix.port)
            daemon.signal(SIGCONT)
            #expect(stalled.code == 451, "a stalled milter: \(stalled)")

            daemon.signal(SIGTERM)
            _ = daemon.waitForExit(timeout: 10)
            let absent = try self.send("absent", port: postfix.port)
            #expect(absent.code == 451, "no milter listening: \(absent)")

            try daemon.start()
            #expect(try self.send("after", port: postfix.port).code == 250)
            try postfix.waitUntilQueueEmpty(timeout: 30)
            let ids = Set(
                try sink.waitForMessages(count: 2).compactMap { $0.headerValue("Subject") })
            #expect(ids == ["before", "after"])
        }
    }

    @Test func reloadsUnderLoadFailNothing() throws {
        let daemon = try SluiceDaemon(sections: "[detect]\nkeywords = never-in-these\n")
        defer { daemon.stop() }
        try withMailPath(configure: { $0.milters = daemon.socketSpec }) { postfix, sink in
            let sending = Locked(true)
            let reloader = Thread {
                while sending.current {
                    daemon.signal(SIGHUP)
                    Thread.sleep(forTimeInterval: 0.1)
                }
            }
            reloader.start()
            let codes = try runOnThreads(4, timeout: 120) { thread in
                try (0..<25).map { try self.send("r\(thread)-\($0)", port: postfix.port).code }
            }
            sending.withLock { $0 = false }
            #expect(codes.flatMap { $0 }.allSatisfy { $0 == 250 }, "\(codes)")
            _ = try sink.waitForMessages(count: 100, timeout: 60)
            #expect(daemon.log.components(separatedBy: "reload: configuration").count > 2)
            #expect(daemon.isRunning)
        }
    }

    @Test func manySessionsAtOnce() throws {
        let daemon = try SluiceDaemon()
        defer { daemon.stop() }
        try withMailPath(configure: {
            $0.milters = daemon.socketSpec
            $0.extraMainCF = [
                "default_process_limit = 250", "smtpd_client_connection_count_limit = 0",
            ]
        }) { postfix, sink in
            let codes = try runOnThreads(200, timeout: 180) { index in
                try self.send("c\(index)", port: postfix.port).code
            }
            #expect(codes.allSatisfy { $0 == 250 }, "\(codes.filter { $0 != 250 })")
            _ = try sink.waitForMessages(count: 200, timeout: 120)
            #expect(daemon.isRunning)
        }
    }
}
