// Self-tests of the end-to-end harness: real mail through smtp-sink and a private Postfix,
// checked byte for byte, so a failing Sluice test can trust the harness around it.
// Each test starts its own servers; the suite is serialized to keep the machine calm.

import Foundation
import SluiceTestSupport
import Testing

@Suite(.serialized)
struct HarnessTests {
    /// A message that exercises dot-stuffing, empty lines, 8-bit text and a folded header.
    static func message(subject: String, messageID: String) -> String {
        [
            "From: Alice Example <alice@example.test>",
            "To: Bob Example <bob@example.net>",
            "Subject: \(subject)",
            "Message-ID: <\(messageID)>",
            "Date: Thu, 03 Dec 2026 10:00:00 +0000",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "X-Folded: first part",
            "\tsecond part",
            "",
            "Hello Bob,",
            ".a line that starts with a dot",
            "..and one with two",
            "",
            "Grüße, 你好, and trailing spaces   ",
            ".",
            "-- ",
            "Alice",
        ].joined(separator: "\r\n") + "\r\n"
    }

    static func headerAndBody(_ message: String) -> (header: [UInt8], body: [UInt8]) {
        let bytes = SMTPClient.canonicalForm(message)
        let separator: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
        var split = 0
        while split + 4 <= bytes.count && Array(bytes[split..<(split + 4)]) != separator {
            split += 1
        }
        return (Array(bytes[..<(split + 2)]), Array(bytes[(split + 4)...]))
    }

    @Test func cleanMessageArrivesByteIdentical() throws {
        var leftovers: (root: String, configDirectory: String, queue: String)?
        try withMailPath { postfix, sink in
            leftovers = (postfix.directory.path, postfix.configDirectory, postfix.queueDirectory)
            let submitted = Self.message(subject: "harness check", messageID: "one@example.test")

            let client = try SMTPClient(port: postfix.port)
            #expect(client.greeting.code == 220)
            let reply = try client.send(
                message: submitted, from: "alice@example.test", to: ["bob@example.net"])
            try client.quit()
            #expect(reply.code == 250, "got \(reply)")
            #expect(reply.enhancedStatus == "2.0.0")
            let queueID = try #require(reply.queueID, "no queue id in \(reply)")

            try postfix.waitUntilQueueEmpty(timeout: 30)
            let received = try sink.waitForMessages(count: 1, timeout: 10)
            #expect(received.count == 1)
            let message = try #require(received.first)

            #expect(message.envelope.sender == "alice@example.test")
            #expect(message.envelope.recipients == ["bob@example.net"])
            #expect(message.heloName == postfix.hostname)

            // Postfix adds its Received header on top and changes nothing else.
            let expected = Self.headerAndBody(submitted)
            #expect(message.body == expected.body, "body differs from what was submitted")
            #expect(
                Array(message.header.suffix(expected.header.count)) == expected.header,
                "submitted header block is not intact at the end of the received one")
            let submittedFields = String(decoding: expected.header, as: UTF8.self)
                .split(separator: "\r\n").filter { $0.first != "\t" }.count
            let added = message.headerFields.dropLast(submittedFields)
            #expect(added.map(\.name) == ["Received"], "Postfix added \(added.map(\.name))")
            #expect(added.first?.value.contains("id \(queueID)") == true)
            #expect(message.headerValue("Subject") == "harness check")
            #expect(message.headerValue("Message-ID") == "<one@example.test>")
            #expect(postfix.maillog.contains("\(queueID): to=<bob@example.net>"))
            #expect(postfix.maillog.contains("status=sent"))
        }

        // Stopping left nothing behind: no daemon, no folder, no main.cf entry.
        let paths = try #require(leftovers)
        #expect(ProcessTable.pids(workingUnder: paths.queue).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: paths.root))
        let mainCF = try String(contentsOfFile: "/etc/postfix/main.cf", encoding: .utf8)
        #expect(!mainCF.contains(paths.configDirectory))
    }

    @Test func fiftyMessagesOverFiveConnectionsAllArrive() throws {
        try withMailPath { postfix, sink in
            let port = postfix.port
            let replies = try runOnThreads(5, timeout: 120) { connection in
                let client = try SMTPClient(port: port)
                defer { _ = try? client.quit() }
                return try (0..<10).map { index in
                    let number = connection * 10 + index
                    return try client.send(
                        message: Self.message(
                            subject: "load \(number)", messageID: "load-\(number)@example.test"),
                        from: "alice@example.test", to: ["bob@example.net"])
                }
            }.flatMap { $0 }
            #expect(replies.count == 50)
            #expect(replies.allSatisfy { $0.code == 250 }, "\(replies.filter { $0.code != 250 })")

            try postfix.waitUntilQueueEmpty(timeout: 60)
            let received = try sink.waitForMessages(count: 50, timeout: 30)
            #expect(received.count == 50)
            let ids = Set(received.compactMap { $0.headerValue("Message-ID") })
            #expect(ids == Set((0..<50).map { "<load-\($0)@example.test>" }))
            let body = Self.headerAndBody(Self.message(subject: "", messageID: "")).body
            #expect(received.allSatisfy { $0.body == body })
        }
    }

    @Test func deferredMailIsDeliveredOnceTheNextHopReturns() throws {
        try withMailPath { postfix, sink in
            sink.goDown()
            let client = try SMTPClient(port: postfix.port)
            let reply = try client.send(
                message: Self.message(subject: "retry", messageID: "retry@example.test"),
                from: "alice@example.test", to: ["bob@example.net"])
            try client.quit()
            #expect(reply.code == 250)

            // The message moves between the deferred and active queues while Postfix retries
            // every second, so the log, not a snapshot of the queues, says it was deferred.
            let deferred = waitFor(timeout: 30) { postfix.maillog.contains("status=deferred") }
            #expect(deferred, "queue: \(postfix.queueCounts())")
            #expect(postfix.queueCounts().pending == 1)
            #expect(try postfix.queueListing().contains("bob@example.net"))

            try sink.comeUp()
            try postfix.flushQueue()
            try postfix.waitUntilQueueEmpty(timeout: 30)
            let received = try sink.waitForMessages(count: 1, timeout: 10)
            #expect(received.map { $0.headerValue("Subject") } == ["retry"])
        }
    }

    @Test func unreachableMilterTempfailsTheMessage() throws {
        let scratch = try TemporaryDirectory(prefix: "sluice-harness-")
        defer { scratch.remove() }
        let socket = scratch.appending("absent.sock")
        try withMailPath(configure: { $0.milters = "unix:\(socket)" }) { postfix, sink in
            let client = try SMTPClient(port: postfix.port)
            let reply = try client.send(
                message: Self.message(subject: "milter", messageID: "milter@example.test"),
                from: "alice@example.test", to: ["bob@example.net"])
            try client.quit()

            // milter_default_action = tempfail: Postfix refuses for now and keeps nothing.
            #expect(reply.code == 451, "got \(reply)")
            #expect(reply.enhancedStatus == "4.7.1")
            #expect(postfix.waitForMaillog(containing: "connect to Milter service unix:\(socket)"))
            #expect(postfix.queueCounts().pending == 0)
            #expect(try sink.messages().isEmpty)
        }
    }

    @Test func refusalsAndHangUpsComeBackAsValues() throws {
        var options = SMTPSink.Options()
        options.permanentlyRejected = ["RCPT"]
        options.permanentReply = "550 5.7.1 Rejected by policy ref=ABC123"
        options.disconnectAfter = ["NOOP"]
        try withSMTPSink(options) { sink in
            let client = try SMTPClient(port: sink.port, timeout: 5)
            let refused = try client.send(
                message: "Subject: x\r\n\r\nbody\r\n", from: "a@example.test",
                to: ["b@example.net"])
            #expect(refused.code == 550)
            #expect(refused.enhancedStatus == "5.7.1")
            #expect(refused.text == "Rejected by policy ref=ABC123")

            #expect(throws: HarnessError.self) { try client.noop() }
            #expect(!client.isConnected)
            #expect(try sink.messages().isEmpty)
        }
    }

    @Test(arguments: [
        (["250 2.0.0 Ok: queued as 4Bq1"], 250, "2.0.0", "Ok: queued as 4Bq1"),
        (["550-5.7.1 first", "550 5.7.1 second"], 550, "5.7.1", "first\nsecond"),
        (["220 host ESMTP"], 220, nil, "host ESMTP"),
        (["421 4.3.2 Service shutting down"], 421, "4.3.2", "Service shutting down"),
    ])
    func repliesAreParsed(lines: [String], code: Int, status: String?, text: String) throws {
        let reply = try #require(SMTPResponse(rawLines: lines))
        #expect(reply.code == code)
        #expect(reply.enhancedStatus == status)
        #expect(reply.text == text)
    }
}
