// Speed figures, run by hand: `SLUICE_BENCH=1 swift test -c release -Xswiftc -enable-testing
// --filter DetectionBenchmark`. Prints the compile time of 100,000 terms and detection
// throughput over mixed CJK/Latin text, next to `grep -F -f` on the same terms and text.
// Times are CPU time of the thread (grep: of the child), not wall-clock. It asserts nothing.

import Foundation
import Testing

@testable import SluiceDetect

@Suite(.enabled(if: ProcessInfo.processInfo.environment["SLUICE_BENCH"] != nil))
struct DetectionBenchmark {
    static let termCount = 100_000
    static let textMegabytes = 32

    @Test func compileAndScan() throws {
        var generator = SplitMix(seed: 42)
        let terms = (0..<Self.termCount).map { _ in Self.term(&generator) }
        let text = Self.text(&generator, megabytes: Self.textMegabytes)
        let list = TermList(name: "bench", file: "bench.txt", lines: terms)

        let normalizer = try TextNormalizer()
        var start = CPUClock.now
        let set = try PatternSet(lists: [list], normalizer: normalizer)
        print("bench: pattern set \(CPUClock.now - start)")
        start = CPUClock.now
        let matcher = try HyperscanMatcher.compile(set.patterns)
        print("bench: hyperscan compile \(CPUClock.now - start)")
        let folded = normalizer.normalize(text).bytes
        start = CPUClock.now
        let raw = matcher.scan(folded)
        let rawRate = Self.rate(Double(folded.count) / 1_000_000, CPUClock.now - start)
        print("bench: hyperscan scan alone \(rawRate) MB/s, \(raw.matches.count) raw matches")

        let compileStart = CPUClock.now
        let engine = try DetectionEngine(dictionaries: [list])
        let compile = CPUClock.now - compileStart
        print("bench: \(Self.termCount) terms, \(engine.patternCount) patterns: compile \(compile)")

        let normalizeStart = CPUClock.now
        let normalized = normalizer.normalize(text)
        let normalize = CPUClock.now - normalizeStart

        let scanStart = CPUClock.now
        let result = engine.hits(in: text, location: "body")
        let scan = CPUClock.now - scanStart
        let megabytes = Double(text.utf8.count) / 1_000_000
        print(
            "bench: \(megabytes) MB text: normalise \(Self.rate(megabytes, normalize)) MB/s, "
                + "full pass \(Self.rate(megabytes, scan)) MB/s, \(result.hits.count) hits, "
                + "complete=\(result.isComplete), normalised \(normalized.bytes.count) bytes")

        let cachePath = NSTemporaryDirectory() + "sluice-bench-cache"
        let options = DetectionEngine.Options(cacheDirectory: cachePath)
        _ = try DetectionEngine(dictionaries: [list], options: options)
        let cachedStart = CPUClock.now
        let cached = try DetectionEngine(dictionaries: [list], options: options)
        print(
            "bench: cached load \(CPUClock.now - cachedStart), "
                + "fromCache=\(cached.loadedFromCache)")
        try? FileManager.default.removeItem(atPath: cachePath)

        let shipped = try DetectionEngine(dictionaryDirectory: ShippedDictionaryTests.directory)
        let shippedStart = CPUClock.now
        let shippedHits = shipped.hits(in: text, location: "body").hits.count
        print(
            "bench: shipped dictionaries (\(shipped.patternCount) patterns): full pass "
                + "\(Self.rate(megabytes, CPUClock.now - shippedStart)) MB/s, \(shippedHits) hits")

        try self.grep(terms: terms, text: text, megabytes: megabytes)
    }

    @Test func normalizeOnly() throws {
        var generator = SplitMix(seed: 7)
        let text = Self.text(&generator, megabytes: Self.textMegabytes)
        let normalizer = try TextNormalizer()
        _ = normalizer.normalize("warm up")
        let start = CPUClock.now
        var total = 0
        for _ in 0..<3 {
            total += normalizer.normalize(text).bytes.count
        }
        let elapsed = CPUClock.now - start
        let megabytes = Double(text.utf8.count * 3) / 1_000_000
        print("bench: normalise only \(Self.rate(megabytes, elapsed)) MB/s (\(total) bytes out)")
    }

    private func grep(terms: [String], text: String, megabytes: Double) throws {
        let directory = NSTemporaryDirectory()
        let termsPath = directory + "sluice-bench-terms.txt"
        let textPath = directory + "sluice-bench-text.txt"
        try terms.joined(separator: "\n").write(
            toFile: termsPath, atomically: true, encoding: .utf8)
        try text.write(toFile: textPath, atomically: true, encoding: .utf8)
        defer {
            try? FileManager.default.removeItem(atPath: termsPath)
            try? FileManager.default.removeItem(atPath: textPath)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/grep")
        process.arguments = ["-c", "-F", "-f", termsPath, textPath]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        let elapsed =
            Duration.seconds(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + .microseconds(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
        print(
            "bench: grep -F -f (compile + scan) \(Self.rate(megabytes, elapsed)) MB/s, \(elapsed)")
    }

    static func rate(_ megabytes: Double, _ duration: Duration) -> String {
        let seconds =
            Double(duration.components.seconds)
            + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.0f", megabytes / seconds)
    }

    /// A 2–6 character term of common ideographs, or now and then a Latin phrase.
    static func term(_ generator: inout SplitMix) -> String {
        if generator.next() % 10 == 0 {
            return (0..<2).map { _ in Self.word(&generator, length: 6) }.joined(separator: " ")
        }
        let length = 2 + Int(generator.next() % 5)
        return String(
            String.UnicodeScalarView(
                (0..<length).compactMap { _ in
                    Unicode.Scalar(0x4E00 + UInt32(generator.next() % 3000))
                }))
    }

    static func word(_ generator: inout SplitMix, length: Int) -> String {
        String(
            String.UnicodeScalarView(
                (0..<length).compactMap { _ in Unicode.Scalar(0x61 + UInt32(generator.next() % 26))
                }
            ))
    }

    /// Paragraphs alternating Chinese sentences, English words and numbers.
    static func text(_ generator: inout SplitMix, megabytes: Int) -> String {
        var text = ""
        text.reserveCapacity(megabytes * 1_000_000)
        while text.utf8.count < megabytes * 1_000_000 {
            for _ in 0..<40 {
                text.unicodeScalars.append(
                    Unicode.Scalar(0x4E00 + UInt32(generator.next() % 6000)) ?? "x")
            }
            text += "，"
            for _ in 0..<8 {
                text += Self.word(&generator, length: 1 + Int(generator.next() % 8)) + " "
            }
            text += "No. \(generator.next() % 1_000_000)。\n"
        }
        return text
    }
}

/// CPU time of the calling thread, so figures hold on a machine busy with other work.
enum CPUClock {
    static var now: CPUClock.Instant {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Instant(nanoseconds: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }

    struct Instant {
        var nanoseconds: Int64

        static func - (lhs: Instant, rhs: Instant) -> Duration {
            .nanoseconds(lhs.nanoseconds - rhs.nanoseconds)
        }
    }
}

/// A small deterministic random number generator.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var value = self.state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
