// Per-sender volume: sender keys, sliding windows, the rate anomaly against a sender's own
// history, saving and loading, and the busiest-senders list.

import Foundation
import Testing

@testable import SluicePolicy

@Suite struct VolumeCounterTests {
    let start = Date(timeIntervalSince1970: 1_796_000_400)

    func observation(external: Int = 1, domain: String = "x.net") -> VolumeObservation {
        VolumeObservation(
            recipients: external + 1, externalRecipients: external,
            externalDomains: external > 0 ? [domain] : [], bytes: 4096, attachmentBytes: 1024)
    }

    @Test(arguments: [
        (nil, "Alice+News@Example.COM", "alice@example.com"),
        ("bob@example.com", "alice@example.com", "bob@example.com"),
        ("", "carol@example.com", "carol@example.com"),
        (nil, "", "<>"),
        (nil, "+x@example.com", "+x@example.com"),
    ])
    func senderKeys(user: String?, sender: String, expected: String) {
        #expect(SenderKey.normalize(authenticatedUser: user, sender: sender) == expected)
    }

    @Test func windowsSlide() {
        let counter = InMemoryVolumeCounter()
        var facts = VolumeFacts()
        for index in 0..<5 {
            facts = counter.record(
                self.observation(domain: "d\(index % 2).net"), sender: "a@example.com",
                at: self.start.addingTimeInterval(Double(index)))
        }
        #expect(facts.messagesLastMinute == 5)
        #expect(facts.messagesLastHour == 5)
        #expect(facts.messagesLastDay == 5)
        #expect(facts.externalRecipientsLastHour == 5)
        #expect(facts.externalDomainsLastDay == 2)
        #expect(facts.bytesLastDay == 5 * 4096)
        #expect(facts.attachmentBytesLastDay == 5 * 1024)

        facts = counter.record(
            self.observation(), sender: "a@example.com", at: self.start.addingTimeInterval(120))
        #expect(facts.messagesLastMinute == 1, "the first five are over a minute old")
        #expect(facts.messagesLastHour == 6)

        facts = counter.record(
            self.observation(), sender: "a@example.com", at: self.start.addingTimeInterval(7200))
        #expect(facts.messagesLastHour == 1)
        #expect(facts.messagesLastDay == 7)

        counter.recordBlocked(sender: "a@example.com", at: self.start.addingTimeInterval(7201))
        facts = counter.record(
            self.observation(), sender: "a@example.com",
            at: self.start.addingTimeInterval(2 * 86_400))
        #expect(facts.messagesLastDay == 1)
        #expect(facts.blockedLastDay == 0)
        #expect(facts.externalDomainsLastDay == 1)
    }

    /// A light sender's burst is an anomaly; the same burst from a heavy sender is not.
    @Test func rateAnomalyAgainstOwnHistory() {
        let counter = InMemoryVolumeCounter(anomalyFactor: 5, anomalyFloor: 20)
        let weekAgo = self.start.addingTimeInterval(-6 * 86_400)
        for hour in stride(from: 0, to: 140, by: 3) {
            let time = weekAgo.addingTimeInterval(Double(hour) * 3600)
            for _ in 0..<2 {
                _ = counter.record(self.observation(), sender: "light@example.com", at: time)
            }
            for _ in 0..<40 {
                _ = counter.record(self.observation(), sender: "heavy@example.com", at: time)
            }
        }
        var light = VolumeFacts()
        var heavy = VolumeFacts()
        for second in 0..<30 {
            let time = self.start.addingTimeInterval(Double(second))
            light = counter.record(self.observation(), sender: "light@example.com", at: time)
            heavy = counter.record(self.observation(), sender: "heavy@example.com", at: time)
        }
        #expect(light.usualHourly == 2)
        #expect(light.rateAnomaly, "30 in an hour against a usual 2")
        #expect(heavy.usualHourly == 40)
        #expect(!heavy.rateAnomaly, "30 in an hour is below a usual 40")
    }

    @Test func savesAndLoads() throws {
        let path = NSTemporaryDirectory() + "volume-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let counter = InMemoryVolumeCounter()
        for index in 0..<3 {
            _ = counter.record(
                self.observation(), sender: "s\(index)@example.com", at: self.start)
        }
        _ = counter.record(self.observation(), sender: "s0@example.com", at: self.start)
        try counter.save(to: path)

        let restored = InMemoryVolumeCounter()
        try restored.load(from: path)
        #expect(restored.senderCount == 3)
        let facts = restored.record(
            self.observation(), sender: "s0@example.com", at: self.start.addingTimeInterval(5))
        #expect(facts.messagesLastHour == 3)
        let top = restored.top(2, window: 3600, at: self.start.addingTimeInterval(5))
        #expect(top.map(\.sender) == ["s0@example.com", "s1@example.com"])

        try Data("not a state file".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: (any Error).self) { try InMemoryVolumeCounter().load(from: path) }
    }
}

/// The cost of counting, run by hand: `SLUICE_BENCH=1 swift test -c release
/// -Xswiftc -enable-testing --filter VolumeCounterBenchmark`. Prints nanoseconds per
/// message with 100,000 senders; asserts nothing about time.
@Suite struct VolumeCounterBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SLUICE_BENCH"] == "1"))
    func countingCostWithManySenders() {
        let counter = InMemoryVolumeCounter()
        let start = Date(timeIntervalSince1970: 1_796_000_000)
        let observation = VolumeObservation(
            recipients: 3, externalRecipients: 2, externalDomains: ["a.net", "b.org"],
            bytes: 20_000, attachmentBytes: 5000)
        let senders = (0..<100_000).map { "user\($0)@example.com" }
        for (index, sender) in senders.enumerated() {
            _ = counter.record(observation, sender: sender, at: start + Double(index) / 1000)
        }
        let messages = 200_000
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for index in 0..<messages {
                _ = counter.record(
                    observation, sender: senders[(index &* 7919) % senders.count],
                    at: start + 100 + Double(index) / 1000)
            }
        }
        let nanoseconds =
            (Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9)
            / Double(messages)
        print("volume: \(Int(nanoseconds)) ns per message, \(counter.senderCount) senders")
        #expect(counter.senderCount == 100_000)
    }
}
