// Releasing against a real smtp-sink: the original bytes arrive exactly once behind the
// release header, to the original recipients or a subset; a second release is refused; a
// relay that is down or refuses leaves the message held with the reason, ready to retry.

import Foundation
import SluiceTestSupport
import Testing

@testable import SluiceStore

@Suite(.serialized) struct QuarantineReleaseTests {
    @Test func releaseDeliversTheOriginalOnceAndASecondIsRefused() throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let audit = try AuditLog(path: scratch.appending("audit.log"))
        let store = try QuarantineStore(directory: scratch.appending("q"), audit: audit)
        try QuarantineFixtures.hold(store, 1)
        let id = QuarantineFixtures.id(1)

        try withSMTPSink { sink in
            let release = try store.release(
                id: id, comment: "approved by legal", user: "reviewer", host: "127.0.0.1",
                port: sink.port)
            #expect(release.recipients == ["bob@partner.example", "carol@corp.example"])
            #expect(release.relayReply.hasPrefix("250"))

            let second = try #require(throws: StoreError.self) {
                try store.release(id: id, user: "other", host: "127.0.0.1", port: sink.port)
            }
            #expect(second.description == "release: message \(id) is released, not held")

            let messages = try sink.waitForMessages(count: 1)
            Thread.sleep(forTimeInterval: 0.3)
            #expect(try sink.messages().count == 1, "a second copy arrived")
            let delivered = try #require(messages.first)
            #expect(delivered.envelope.sender == "alice@corp.example")
            #expect(delivered.envelope.recipients == release.recipients)
            let header = try #require(delivered.headerValue("X-Sluice-Released"))
            #expect(header.hasPrefix("by reviewer at "), "got \(header)")
            #expect(header.hasSuffix("; ref \(id)"), "got \(header)")
            let headerLine = Array("X-Sluice-Released: \(header)\r\n".utf8)
            #expect(delivered.data == headerLine + QuarantineFixtures.message(1))
        }

        let record = try #require(try store.record(id: id))
        #expect(record.state == .released)
        #expect(record.history.map(\.action) == ["release"])
        #expect(record.history.first?.comment == "approved by legal")
        let log = try String(contentsOfFile: scratch.appending("audit.log"), encoding: .utf8)
        #expect(log.contains("\"event\":\"release\""))
    }

    @Test func releaseToASubsetAndNeverToStrangers() throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let store = try QuarantineStore(directory: scratch.path)
        try QuarantineFixtures.hold(store, 2)
        let id = QuarantineFixtures.id(2)

        try withSMTPSink { sink in
            let stranger = try #require(throws: StoreError.self) {
                try store.release(
                    id: id, to: ["eve@elsewhere.example"], user: "reviewer", host: "127.0.0.1",
                    port: sink.port)
            }
            #expect(stranger.description.contains("is not a recipient"), "got \(stranger)")
            #expect(try store.record(id: id)?.state == .held)

            try store.release(
                id: id, to: ["CAROL@corp.example"], user: "reviewer", host: "127.0.0.1",
                port: sink.port)
            let delivered = try sink.waitForMessages(count: 1)
            #expect(delivered.first?.envelope.recipients == ["carol@corp.example"])
        }
    }

    @Test func aFailedInjectionLeavesItHeldWithTheReason() throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let store = try QuarantineStore(directory: scratch.path)
        try QuarantineFixtures.hold(store, 3)
        let id = QuarantineFixtures.id(3)

        var refusing = SMTPSink.Options()
        refusing.permanentlyRejected = ["RCPT"]
        try withSMTPSink(refusing) { sink in
            let error = try #require(throws: StoreError.self) {
                try store.release(id: id, user: "reviewer", host: "127.0.0.1", port: sink.port)
            }
            #expect(error.description.contains("still held"), "got \(error)")
            #expect(error.description.contains("answered '5"), "got \(error)")

            let record = try #require(try store.record(id: id))
            #expect(record.state == .held)
            #expect(
                record.lastError?.contains("answered '5") == true, "got \(record.lastError ?? "-")")
            #expect(record.history.map(\.action) == ["release-failed"])

            // Once the relay accepts, the same id goes out once.
            try sink.comeUp()
            try store.release(id: id, user: "reviewer", host: "127.0.0.1", port: sink.port)
            #expect(try sink.waitForMessages(count: 1).count == 1)
        }
        let record = try #require(try store.record(id: id))
        #expect(record.state == .released)
        #expect(record.lastError == nil)
        #expect(record.history.map(\.action) == ["release-failed", "release"])
    }

    @Test func aRelayThatIsDownLeavesItHeld() throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let store = try QuarantineStore(directory: scratch.path)
        try QuarantineFixtures.hold(store, 4)
        let id = QuarantineFixtures.id(4)
        let port = try FreePort.next()

        let error = try #require(throws: StoreError.self) {
            try store.release(id: id, user: "reviewer", host: "127.0.0.1", port: port)
        }
        #expect(error.description.contains("cannot connect to relay"), "got \(error)")
        #expect(try store.record(id: id)?.state == .held)
    }

    @Test func concurrentReleasesOfOneIDDeliverOnce() throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let first = try QuarantineStore(directory: scratch.path)
        let second = try QuarantineStore(directory: scratch.path)
        try QuarantineFixtures.hold(first, 5)
        let id = QuarantineFixtures.id(5)

        try withSMTPSink { sink in
            let port = sink.port
            let outcomes = try runOnThreads(6) { index in
                let store = index % 2 == 0 ? first : second
                return
                    (try? store.release(
                        id: id, user: "reviewer\(index)", host: "127.0.0.1", port: port)) != nil
            }
            #expect(outcomes.filter { $0 }.count == 1, "releases that succeeded: \(outcomes)")
            _ = try sink.waitForMessages(count: 1)
            Thread.sleep(forTimeInterval: 0.3)
            #expect(try sink.messages().count == 1)
        }
    }
}
