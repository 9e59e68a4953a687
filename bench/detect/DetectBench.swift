// Detection speed, run by bench/engine.sh: the compile and cached load of a large generated
// dictionary, normalisation alone, and the full detection pass (normalise, match, validate)
// over generated mixed CJK/Latin text with the shipped dictionaries alone and with generated
// dictionaries of several sizes. Scan times are CPU time of the measuring thread; compile and
// load times are wall-clock, as compiling uses both cores. Prints one JSON object; the script
// turns it into the table.

import Foundation
import SluiceDetect

@main
struct DetectBench {
    static func main() {
        do {
            try Self.run(arguments: CommandLine.arguments.dropFirst())
        } catch {
            FileHandle.standardError.write(Data("sluice-detect-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run(arguments: ArraySlice<String>) throws {
        var options = Options()
        var arguments = arguments
        while let argument = arguments.popFirst() {
            guard let value = arguments.popFirst() else {
                throw BenchError("\(argument) needs a value")
            }
            switch argument {
            case "--dictionaries": options.dictionaries = value
            case "--megabytes": options.megabytes = Int(value) ?? options.megabytes
            case "--terms-out": options.termsOut = value
            case "--text-out": options.textOut = value
            case "--only": options.only = value
            default: throw BenchError("unknown option \(argument)")
            }
        }
        try Self.run(options)
    }

    struct Options {
        var dictionaries = "dictionaries"
        var megabytes = 32
        /// Where to write the largest generated term list and the text, for grep.
        var termsOut: String?
        var textOut: String?
        /// `normalize`, `shipped` or `generated` (20,000 terms): measure that alone, for a
        /// profiler.
        var only: String?
    }

    static let sizes = [20_000, 100_000]

    static func run(_ options: Options) throws {
        var generator = SplitMix(seed: 42)
        let largest = sizes.max() ?? 0
        let terms = (0..<largest).map { _ in Generated.term(&generator) }
        let text = Generated.text(&generator, megabytes: options.megabytes)
        let megabytes = Double(text.utf8.count) / 1_000_000
        if let path = options.termsOut {
            try terms.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        if let path = options.textOut {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }

        var report: [String: Any] = ["text_megabytes": megabytes]
        let shipped = try DictionaryDirectory(path: options.dictionaries).load()

        let normalizer = try TextNormalizer()
        _ = normalizer.normalize("warm up")
        let normalize = Self.best(of: options.only == "normalize" ? 20 : 3) {
            _ = normalizer.normalize(text)
        }
        report["normalize_mb_s"] = megabytes / normalize
        if options.only == "normalize" {
            let cjk = Generated.ideographs(&generator, count: 3_000_000, range: 6000)
            let ascii = String(
                repeating: "the quick brown fox jumps over the lazy dog. ", count: 200_000)
            let n1 = Self.best(of: 5) { _ = normalizer.normalize(cjk) }
            let n2 = Self.best(of: 5) { _ = normalizer.normalize(ascii) }
            report["tmp_cjk"] = Double(cjk.utf8.count) / 1e6 / n1
            report["tmp_ascii"] = Double(ascii.utf8.count) / 1e6 / n2
        }

        let shippedEngine = try DetectionEngine(dictionaries: shipped)
        report["shipped_patterns"] = shippedEngine.patternCount
        report["shipped_full_pass_mb_s"] =
            megabytes
            / Self.best(of: options.only == nil ? 3 : 20) {
                _ = shippedEngine.hits(in: text, location: "body")
            }
        if options.only == "generated" {
            let list = TermList(
                name: "generated", file: "generated.txt", lines: Array(terms.prefix(20_000)))
            let engine = try DetectionEngine(dictionaries: shipped + [list])
            report["generated_20000_full_pass_mb_s"] =
                megabytes / Self.best(of: 8) { _ = engine.hits(in: text, location: "body") }
        }
        if options.only != nil {
            return try Self.print(report)
        }

        var sized: [[String: Any]] = []
        for size in sizes {
            let list = TermList(
                name: "generated", file: "generated.txt", lines: Array(terms.prefix(size)))
            var engine: DetectionEngine?
            let compile = Self.wallTime {
                engine = try? DetectionEngine(dictionaries: shipped + [list])
            }
            guard let engine else {
                throw BenchError("the generated dictionary did not compile")
            }
            let cache = NSTemporaryDirectory() + "sluice-detect-bench-\(getpid())"
            defer { try? FileManager.default.removeItem(atPath: cache) }
            let cached = DetectionEngine.Options(cacheDirectory: cache)
            _ = try DetectionEngine(dictionaries: shipped + [list], options: cached)
            var fromCache = false
            let load = Self.wallTime {
                fromCache =
                    (try? DetectionEngine(dictionaries: shipped + [list], options: cached))?
                    .loadedFromCache ?? false
            }
            var hits = 0
            let pass = Self.best(of: 2) {
                hits = engine.hits(in: text, location: "body").hits.count
            }
            sized.append([
                "terms": size, "patterns": engine.patternCount, "compile_s": compile,
                "cached_load_s": load, "loaded_from_cache": fromCache,
                "full_pass_mb_s": megabytes / pass, "hits": hits,
            ])
        }
        report["generated"] = sized
        try Self.print(report)
    }

    static func print(_ report: [String: Any]) throws {
        let json = try JSONSerialization.data(
            withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
        FileHandle.standardOutput.write(json + Data("\n".utf8))
    }

    /// The shortest of `runs` timings of `body`, in seconds.
    static func best(of runs: Int, _ body: () -> Void) -> Double {
        (0..<runs).map { _ in Self.time(body) }.min() ?? 0
    }

    /// CPU seconds of this thread spent in `body`.
    static func time(_ body: () -> Void) -> Double {
        let start = Self.threadSeconds()
        body()
        return Self.threadSeconds() - start
    }

    /// Wall-clock seconds spent in `body`, for work spread over threads.
    static func wallTime(_ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        body()
        let elapsed = (ContinuousClock.now - start).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }

    static func threadSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Deterministic dictionary terms and text.
enum Generated {
    /// A 2–6 character term of common ideographs, or now and then a two-word Latin phrase.
    static func term(_ generator: inout SplitMix) -> String {
        if generator.next() % 10 == 0 {
            return (0..<2).map { _ in Self.word(&generator, length: 6) }.joined(separator: " ")
        }
        let length = 2 + Int(generator.next() % 5)
        return Self.ideographs(&generator, count: length, range: 3000)
    }

    static func word(_ generator: inout SplitMix, length: Int) -> String {
        String(
            String.UnicodeScalarView(
                (0..<length).compactMap { _ in Unicode.Scalar(0x61 + UInt32(generator.next() % 26))
                }))
    }

    static func ideographs(_ generator: inout SplitMix, count: Int, range: UInt64) -> String {
        String(
            String.UnicodeScalarView(
                (0..<count).compactMap { _ in
                    Unicode.Scalar(0x4E00 + UInt32(generator.next() % range))
                }))
    }

    /// Lines of a Chinese sentence, English words and a number, with some capitals.
    static func text(_ generator: inout SplitMix, megabytes: Int) -> String {
        var text = ""
        text.reserveCapacity(megabytes * 1_000_000 + 1000)
        while text.utf8.count < megabytes * 1_000_000 {
            text += Self.ideographs(&generator, count: 40, range: 6000)
            text += "，"
            for index in 0..<8 {
                let word = Self.word(&generator, length: 1 + Int(generator.next() % 8))
                text += (index == 0 ? word.capitalized : word) + " "
            }
            text += "No. \(generator.next() % 1_000_000)。\n"
        }
        return text
    }
}

/// SplitMix64, so every run sees the same terms and text.
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
